import { CoreError } from '@tributary/core';
import { resolveRetryOptions } from './retry';
import type { RetryOptions } from './retry';
import { DEFAULT_TIMEOUT, DeliveryOptions } from './transportOptions';

/**
 * The delivery options every transport takes, with their defaults filled in: what a transport
 * puts into its `TransportLayerConfig` beside `host`, `channel`, `wire` and `durable`.
 * @since 0.2.0
 * @category transport SPI
 */
export interface ResolvedDeliveryOptions {
  readonly timeout: number;
  readonly expectAck: boolean;
  readonly retry: Required<RetryOptions>;
  readonly subscribe: readonly string[];
  readonly concurrency: number;
  /** ms from dispatch to settlement past which a warning is logged; 0: never. */
  readonly slowHandlerWarning: number;
}

/** Keyed events handled at once by default. */
export const DEFAULT_CONCURRENCY = 32;

const invalid = (transport: string, what: string): CoreError =>
  new CoreError(`${transport}: ${what}`, { context: 'messaging.options' });

/**
 * Resolves the delivery options shared by every transport (so none re-resolves them), and
 * checks them with errors that say how to fix them.
 *
 * @example
 * ```ts
 * import { resolveDeliveryOptions } from '@tributary/messaging/transport';
 * const delivery = resolveDeliveryOptions({ retry: { maxAttempts: 3 } }, '@tributary/kafka');
 * delivery.concurrency; // 32
 * ```
 * @param options - the user's options (any transport's; only the delivery ones are read)
 * @param transport - the package name, for error messages
 * @param defaults - transport-specific defaults (e.g. a shorter timeout)
 * @since 0.2.0
 * @category transport SPI
 */
export const resolveDeliveryOptions = (
  options: DeliveryOptions | undefined,
  transport: string,
  defaults: Partial<Omit<ResolvedDeliveryOptions, 'retry'>> = {},
): ResolvedDeliveryOptions => {
  const timeout = options?.timeout ?? defaults.timeout ?? DEFAULT_TIMEOUT;
  if (typeof timeout !== 'number' || !(timeout > 0)) throw invalid(transport, `\`timeout\` must be a positive number of ms, got ${JSON.stringify(timeout)}.`);
  const concurrency = options?.concurrency ?? defaults.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw invalid(transport, `\`concurrency\` must be a whole number ≥ 1 (keyed events handled at once), got ${JSON.stringify(concurrency)}.`);
  }
  const subscribe = options?.subscribe ?? defaults.subscribe ?? [];
  if (!Array.isArray(subscribe) || subscribe.some(p => typeof p !== 'string' || p === '')) {
    throw invalid(transport, "`subscribe` must be a list of event types or patterns, e.g. ['OrderCreated', 'payment.*'].");
  }
  const slowHandlerWarning = options?.slowHandlerWarning ?? defaults.slowHandlerWarning ?? 0;
  if (typeof slowHandlerWarning !== 'number' || !(slowHandlerWarning >= 0)) {
    throw invalid(transport, `\`slowHandlerWarning\` must be a number of ms ≥ 0 (0: no warning), got ${JSON.stringify(slowHandlerWarning)}.`);
  }
  return {
    timeout,
    expectAck: options?.expectAck ?? defaults.expectAck ?? false,
    retry: resolveRetryOptions(options?.retry),
    subscribe,
    concurrency,
    slowHandlerWarning,
  };
};

/**
 * The delivery part of a `TransportLayerConfig`, picked from resolved options.
 *
 * @example
 * ```ts
 * import { deliveryConfig, resolveDeliveryOptions } from '@tributary/messaging/transport';
 * const config = { host: 'kafka://127.0.0.1:9092', channel: 'orders', wire: 'body' as const, durable: true, ...deliveryConfig(resolveDeliveryOptions({}, 'my-transport')) };
 * ```
 * @since 0.2.0
 * @category transport SPI
 */
export const deliveryConfig = (resolved: ResolvedDeliveryOptions): ResolvedDeliveryOptions => ({
  timeout: resolved.timeout,
  expectAck: resolved.expectAck,
  retry: resolved.retry,
  subscribe: resolved.subscribe,
  concurrency: resolved.concurrency,
  slowHandlerWarning: resolved.slowHandlerWarning,
});
