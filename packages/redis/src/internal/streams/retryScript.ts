import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { LuaScript } from '../LuaScript';
import type { StreamRaw } from './streamMessage';

/**
 * Moves retries whose time has come from the waiting set to the service stream, atomically:
 * a retry is either still waiting or in the stream, never both and never neither, whichever
 * instance moves it and whenever one crashes.
 *
 * KEYS: waiting set (score: due ms), retry fields hash (`<rid>|<field>`), target stream.
 * ARGV: now ms, how many at most, MAXLEN (0: none), then the field names.
 */
const MOVE_DUE = new LuaScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local maxLen = tonumber(ARGV[3])
for _, rid in ipairs(due) do
  local names = {}
  for i = 4, #ARGV do names[#names + 1] = rid .. '|' .. ARGV[i] end
  local values = redis.call('HMGET', KEYS[2], unpack(names))
  if values[1] then
    local args = { KEYS[3] }
    if maxLen > 0 then
      args[#args + 1] = 'MAXLEN'; args[#args + 1] = '~'; args[#args + 1] = maxLen
    end
    args[#args + 1] = '*'
    for i = 4, #ARGV do
      local value = values[i - 3]
      if value then args[#args + 1] = ARGV[i]; args[#args + 1] = value end
    end
    redis.call('XADD', unpack(args))
  end
  redis.call('HDEL', KEYS[2], unpack(names))
  redis.call('ZREM', KEYS[1], rid)
end
return #due
`);

/** The names stored per retry; `data` first (a retry without it is dropped). */
export const RETRY_FIELDS = ['data', 'type', 'id', 'correlationId', 'replyTo', 'attempt'] as const;

export interface RetryKeys {
  retryQueue: string;
  retryData: string;
  stream: string;
}

/** Moves up to `limit` due retries; returns how many moved. */
export const moveDueRetries = async (client: Redis, keys: RetryKeys, maxLen: number | false, now = Date.now(), limit = 100): Promise<number> =>
  Number(await MOVE_DUE.run(client, [keys.retryQueue, keys.retryData, keys.stream], [now, limit, maxLen === false ? 0 : maxLen, ...RETRY_FIELDS]));

/** A retry as it waits: its id in the sorted set, its fields in the hash (`<rid>|<name>` → value). */
export interface RetryEntry {
  rid: string;
  hash: Array<string | Buffer>;
}

/** The waiting form of `raw`'s next attempt (see {@link moveDueRetries}). */
export const retryEntry = (raw: StreamRaw, data: Buffer, attempt: number): RetryEntry => {
  const rid = `${raw.id}:${attempt}:${randomUUID()}`;
  const values: Record<(typeof RETRY_FIELDS)[number], string | Buffer | undefined> = {
    data,
    type: raw.fields.type,
    id: raw.fields.id,
    correlationId: raw.fields.correlationId,
    replyTo: raw.fields.replyTo,
    attempt: String(attempt),
  };
  const hash: Array<string | Buffer> = [];
  for (const name of RETRY_FIELDS) if (values[name] !== undefined) hash.push(`${rid}|${name}`, values[name]!);
  return { rid, hash };
};
