import type Redis from 'ioredis';
import { LUA_XADD, LuaScript } from '../LuaScript';
import { xaddArgs } from '../deadLetterFields';
import { sameSlot } from '../keys';
import type { RetryEntry, RetryKeys } from './retryScript';
import type { StreamRaw } from './streamMessage';

/**
 * Acknowledges a pending entry and, only if it was still pending in the group, writes what
 * replaces it, in one step. A settlement sent twice (ioredis re-sends a command left unanswered
 * by a connection cut) or by two consumers (one claimed the entry from a slow other) writes its
 * replacement once: a dead letter is never doubled, a retry never forks.
 *
 * KEYS: the entry's stream, then the keys written (`add`: a stream; `retry`: hash, sorted set).
 * ARGV: group, entry id, `add` | `retry`; `add`: MAXLEN (0: none), fields;
 * `retry`: due ms, rid, then the hash's field/value pairs. Returns 1 if written, 0 if not pending.
 */
const ACK_THEN_WRITE = new LuaScript(`${LUA_XADD}
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
if ARGV[3] == 'add' then
  xadd(KEYS[2], tonumber(ARGV[4]), ARGV, 5)
else
  redis.call('HSET', KEYS[2], unpack(ARGV, 6))
  redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), ARGV[5])
end
return 1
`);

/** What replaces a settled entry: a copy or a dead letter on a stream, or a waiting retry. */
export type Replacement =
  | { readonly kind: 'add'; readonly stream: string; readonly maxLen: number | false; readonly fields: ReadonlyArray<string | Buffer> }
  | { readonly kind: 'retry'; readonly keys: RetryKeys; readonly entry: RetryEntry; readonly due: number };

/**
 * Replaces `raw` by `replacement` and acknowledges it (see `ACK_THEN_WRITE`); resolves false
 * when the entry was settled already and nothing was written. On a cluster whose keys lie in
 * different slots (an entry of a topic stream, a dead-letter stream of another name) no script
 * spans them: the write goes first and the `XACK` after it, so that a crash between them
 * repeats the entry rather than losing it (a duplicate replacement is then possible).
 */
export const replaceEntry = async (client: Redis, group: string, raw: StreamRaw, replacement: Replacement, cluster: boolean): Promise<boolean> => {
  const keys = replacement.kind === 'add' ? [raw.stream, replacement.stream] : [raw.stream, replacement.keys.retryData, replacement.keys.retryQueue];
  if (cluster && !sameSlot(raw.stream, ...keys.slice(1))) {
    if (replacement.kind === 'add') await client.call('XADD', ...xaddArgs(replacement.stream, replacement.maxLen, replacement.fields));
    else {
      const results = (await client.multi().hset(replacement.keys.retryData, ...(replacement.entry.hash as [string, Buffer])).zadd(replacement.keys.retryQueue, replacement.due, replacement.entry.rid).exec()) ?? [];
      for (const [error] of results) if (error) throw error;
    }
    return (await client.xack(raw.stream, group, raw.id)) === 1;
  }
  const args: Array<string | Buffer | number> =
    replacement.kind === 'add'
      ? [group, raw.id, 'add', replacement.maxLen === false ? 0 : replacement.maxLen, ...replacement.fields]
      : [group, raw.id, 'retry', replacement.due, replacement.entry.rid, ...replacement.entry.hash];
  return Number(await ACK_THEN_WRITE.run(client, keys, args)) === 1;
};
