/**
 * Redelivery of failed messages: exponential backoff from `initialDelay`, times `factor`
 * per attempt, capped at `maxDelay`; after `maxAttempts` deliveries the message is
 * dead-lettered.
 * @since 0.1.0
 * @category delivery
 */
export interface RetryOptions {
  maxAttempts?: number;
  initialDelay?: number;
  maxDelay?: number;
  factor?: number;
}

/**
 * Five attempts, 200 ms → 400 → 800 → 1600 ms, capped at 30 s.
 * @since 0.1.0
 * @category delivery
 */
export const DEFAULT_RETRY_OPTIONS: Required<RetryOptions> = {
  maxAttempts: 5,
  initialDelay: 200,
  maxDelay: 30_000,
  factor: 2,
};

/**
 * The delay before redelivering a message that failed on `attempt` (1-based).
 *
 * @example
 * ```ts
 * import { DEFAULT_RETRY_OPTIONS, retryDelay } from '@tributary/messaging';
 * retryDelay(DEFAULT_RETRY_OPTIONS, 1); // 200
 * retryDelay(DEFAULT_RETRY_OPTIONS, 3); // 800
 * ```
 * @since 0.1.0
 * @category delivery
 */
export const retryDelay = (options: Required<RetryOptions>, attempt: number): number =>
  Math.min(options.maxDelay, Math.round(options.initialDelay * Math.pow(options.factor, Math.max(0, attempt - 1))));

/**
 * Reconnection backoff: capped exponential with full jitter, for transports that reconnect.
 *
 * @example
 * ```ts
 * import { reconnectDelay } from '@tributary/messaging';
 * const delay = reconnectDelay(3, { initialDelay: 100, maxDelay: 5000 }); // between 200 and 400 ms
 * ```
 * @since 0.1.0
 * @category transport SPI
 */
export const reconnectDelay = (attempt: number, options: { initialDelay: number; maxDelay: number }): number => {
  const ceiling = Math.min(options.maxDelay, options.initialDelay * Math.pow(2, Math.max(0, attempt - 1)));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
};

/** Fills retry options with the defaults. */
export const resolveRetryOptions = (options: RetryOptions | undefined): Required<RetryOptions> => ({
  ...DEFAULT_RETRY_OPTIONS,
  ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)),
});
