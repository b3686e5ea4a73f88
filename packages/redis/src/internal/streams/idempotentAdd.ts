import type Redis from 'ioredis';
import { LUA_XADD, LuaScript } from '../LuaScript';

/**
 * The idempotent producer: adds an entry unless its message id was already added to the same
 * stream within the window, in one step (a re-sent `XADD` after a connection cut, by ioredis
 * or by the caller, adds nothing). The id key holds the entry id and expires after the window.
 *
 * KEYS: stream, id key[, topic index]. ARGV: window ms, MAXLEN (0: none), topic ('' : none),
 * then the entry's fields. Returns -1 for a duplicate, else SADD's answer (1: a new topic) or 0.
 */
const ADD = new LuaScript(`${LUA_XADD}
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local id = xadd(KEYS[1], tonumber(ARGV[2]), ARGV, 4)
redis.call('SET', KEYS[2], id, 'PX', tonumber(ARGV[1]))
if ARGV[3] ~= '' then return redis.call('SADD', KEYS[3], ARGV[3]) end
return 0
`);

/** What {@link idempotentAdd} writes. */
export interface IdempotentEntry {
  stream: string;
  /** The key recording the message id (see `RedisKeys.producedId`). */
  idKey: string;
  window: number;
  maxLen: number | false;
  fields: ReadonlyArray<string | Buffer>;
  /** publish: note `topic` in the `index` set too. */
  topic?: { index: string; name: string };
}

/** Adds the entry unless its id is known; resolves `'duplicate'`, `'new-topic'` or `'added'`. */
export const idempotentAdd = async (client: Redis, entry: IdempotentEntry): Promise<'duplicate' | 'new-topic' | 'added'> => {
  const keys = entry.topic ? [entry.stream, entry.idKey, entry.topic.index] : [entry.stream, entry.idKey];
  const result = await ADD.run(client, keys, [entry.window, entry.maxLen === false ? 0 : entry.maxLen, entry.topic?.name ?? '', ...entry.fields]);
  const n = Number(result);
  return n === -1 ? 'duplicate' : n === 1 ? 'new-topic' : 'added';
};
