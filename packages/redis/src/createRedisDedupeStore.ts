import Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { DedupeStore } from '@tributary/messaging';

/**
 * Options of {@link createRedisDedupeStore}: an ioredis client to share, or options to open one.
 *
 * @example
 * ```ts
 * import type { RedisDedupeStoreOptions } from '@tributary/redis';
 * const config: RedisDedupeStoreOptions = { options: { host: '127.0.0.1', port: 6379, db: 1 }, keyPrefix: 'billing:seen:' };
 * ```
 * @since 0.1.0
 * @category redis
 */
export interface RedisDedupeStoreOptions {
  /** A client to use (not closed by the store's `close`). */
  client?: Redis;
  /** ioredis options (or a `redis://` URL) to open a client of the store's own. */
  options?: Partial<RedisOptions> | string;
  /** Prefix of the keys (default `dedupe:`). */
  keyPrefix?: string;
}

/**
 * A `DedupeStore` (of `@tributary/messaging`) on Redis, closed with `close()`.
 *
 * @example
 * ```ts
 * import { createRedisDedupeStore, RedisDedupeStore } from '@tributary/redis';
 * const store: RedisDedupeStore = createRedisDedupeStore({ keyPrefix: 'seen:' });
 * const first = await store.claim('message-1', 60_000);
 * await store.close();
 * ```
 * @since 0.1.0
 * @category redis
 */
export interface RedisDedupeStore extends DedupeStore {
  /** `SET <prefix><key> 1 NX PX <ttlMs>`: true the first time, false while an earlier claim holds. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** `DEL <prefix><key>`: processing failed, a redelivery must not be dropped. */
  release(key: string): Promise<void>;
  /** Quits the client the store opened itself (a given `client` is left open). */
  close(): Promise<void>;
}

/**
 * A dedupe store shared by every instance of a service: `claim` is `SET <prefix><key> 1 NX PX
 * <ttl>`, `release` is `DEL`. Pass it to the messaging `dedupe` middleware so that a message
 * redelivered to another instance is still recognised.
 *
 * @example
 * ```ts
 * import { dedupe, messagingListener } from '@tributary/messaging';
 * import { createRedisDedupeStore } from '@tributary/redis';
 *
 * const store = createRedisDedupeStore({ options: 'redis://127.0.0.1:6379', keyPrefix: 'orders:dedupe:' });
 * await store.claim('message-1', 60_000); // true
 * await store.claim('message-1', 60_000); // false: seen
 * await store.release('message-1');
 * const listener = messagingListener({ effects: [], middlewares: [dedupe({ store })] });
 * await store.close();
 * ```
 * @since 0.1.0
 * @category redis
 */
export const createRedisDedupeStore = (config: RedisDedupeStoreOptions = {}): RedisDedupeStore => {
  const prefix = config.keyPrefix ?? 'dedupe:';
  const owned = config.client
    ? undefined
    : typeof config.options === 'string'
      ? new Redis(config.options, { maxRetriesPerRequest: null })
      : new Redis({ maxRetriesPerRequest: null, ...config.options });
  // failures reach the caller through the commands; the listener keeps ioredis from printing them
  owned?.on('error', () => undefined);
  const client = config.client ?? owned!;
  return {
    claim: async (key, ttlMs) => (await client.set(prefix + key, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK',
    release: async key => {
      await client.del(prefix + key);
    },
    close: async () => {
      if (owned && owned.status !== 'end') await owned.quit().catch(() => owned.disconnect());
    },
  };
};
