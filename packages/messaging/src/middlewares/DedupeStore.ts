/**
 * Where `dedupe` remembers the ids it has seen. `claim` is atomic: true for the first
 * caller of a key within `ttlMs`, false for repeats. `release` forgets a key (its message
 * failed, so its redelivery must run).
 * @since 0.1.0
 * @category idempotency
 */
export interface DedupeStore {
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  release(key: string): void | Promise<void>;
}

/**
 * Options of the in-memory store.
 * @since 0.1.0
 * @category idempotency
 */
export interface MemoryDedupeStoreOptions {
  /** Most keys kept; the oldest go first. Default 100 000. */
  max?: number;
}

/**
 * An in-memory dedupe store (one process): an LRU with expiry. Use the Redis store of
 * `@tributary/redis` when several instances must agree.
 *
 * @example
 * ```ts
 * import { createMemoryDedupeStore } from '@tributary/messaging';
 * const store = createMemoryDedupeStore({ max: 10_000 });
 * store.claim('msg-1', 60_000); // true
 * store.claim('msg-1', 60_000); // false
 * ```
 * @since 0.1.0
 * @category idempotency
 */
export const createMemoryDedupeStore = (options: MemoryDedupeStoreOptions = {}): DedupeStore => {
  const max = options.max ?? 100_000;
  const expiries = new Map<string, number>();
  return {
    claim(key, ttlMs) {
      const now = Date.now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > now) return false;
      expiries.delete(key);
      expiries.set(key, now + ttlMs);
      if (expiries.size > max) expiries.delete(expiries.keys().next().value as string);
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
  };
};
