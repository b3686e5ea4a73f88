import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * A Lua script run by its SHA (`EVALSHA`), sent whole (`EVAL`) only when Redis does not know it
 * yet (`NOSCRIPT`: nothing ran, so sending it again is safe), as after a Redis restart.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: ReadonlyArray<string | Buffer | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Lua for scripts that add a stream entry: `xadd(stream, maxLen, values, from)` runs `XADD
 * stream [MAXLEN ~ maxLen] * values[from..]` (`maxLen` 0: no trimming) and returns the id.
 */
export const LUA_XADD = `
local function xadd(stream, maxLen, values, from)
  local args = { stream }
  if maxLen > 0 then
    args[#args + 1] = 'MAXLEN'; args[#args + 1] = '~'; args[#args + 1] = maxLen
  end
  args[#args + 1] = '*'
  for i = from, #values do args[#args + 1] = values[i] end
  return redis.call('XADD', unpack(args))
end
`;
