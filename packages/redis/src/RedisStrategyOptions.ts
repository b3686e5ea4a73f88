import { DEFAULT_TIMEOUT } from '@tributary/messaging';
import type { RedisMode } from '@tributary/messaging';

export type { RedisStrategyOptions, RedisMode, RedisDeadLetterOptions } from '@tributary/messaging';

/**
 * The defaults of {@link RedisStrategyOptions}.
 *
 * @example
 * ```ts
 * import { DEFAULT_REDIS_OPTIONS } from '@tributary/redis';
 * DEFAULT_REDIS_OPTIONS.mode; // 'pubsub'
 * DEFAULT_REDIS_OPTIONS.claimIdleTime; // 30000
 * ```
 * @since 0.1.0
 * @category redis
 */
export const DEFAULT_REDIS_OPTIONS = {
  host: '127.0.0.1',
  port: 6379,
  timeout: DEFAULT_TIMEOUT,
  mode: 'pubsub' as RedisMode,
  maxLen: 100_000 as number | false,
  claimIdleTime: 30_000,
  batchSize: 32,
  blockTime: 2_000,
  keyPrefix: '',
  idempotenceWindow: 120_000,
} as const;
