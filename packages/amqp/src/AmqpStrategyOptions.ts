import { DEFAULT_RETRY_OPTIONS, DEFAULT_TIMEOUT } from '@tributary/messaging';
import type { AmqpQueueOptions, AmqpReconnectOptions, AmqpSocketOptions, RetryOptions } from '@tributary/messaging';

export type { AmqpStrategyOptions, AmqpQueueOptions, AmqpReconnectOptions, AmqpSocketOptions } from '@tributary/messaging';

/**
 * The defaults of {@link AmqpStrategyOptions} (`deadLetter` defaults to `<queue>.dead-letter`).
 *
 * @example
 * ```ts
 * import { DEFAULT_AMQP_OPTIONS } from '@tributary/amqp';
 * DEFAULT_AMQP_OPTIONS.exchange; // 'tributary.events'
 * DEFAULT_AMQP_OPTIONS.prefetchCount; // 32
 * ```
 * @since 0.1.0
 * @category amqp
 */
export const DEFAULT_AMQP_OPTIONS = {
  queueOptions: { durable: true } as AmqpQueueOptions,
  queueType: 'classic' as 'classic' | 'quorum',
  prefetchCount: 32,
  expectAck: false,
  timeout: DEFAULT_TIMEOUT,
  retry: DEFAULT_RETRY_OPTIONS as Required<RetryOptions>,
  subscribe: [] as readonly string[],
  exchange: 'tributary.events',
  confirm: true,
  reconnect: { initialDelay: 100, maxDelay: 5_000 } as Required<AmqpReconnectOptions>,
  heartbeat: 10,
  socketOptions: { noDelay: true, timeout: 10_000 } as AmqpSocketOptions,
} as const;
