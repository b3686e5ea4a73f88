import { DEFAULT_TIMEOUT } from '@tributary/messaging';

export type { Amqp10StrategyOptions, Amqp10ReconnectOptions } from '@tributary/messaging';

/**
 * The defaults of {@link Amqp10StrategyOptions} (`deadLetter` defaults to `<channel>.dead-letter`).
 *
 * @example
 * ```ts
 * import { DEFAULT_AMQP10_OPTIONS } from '@tributary/amqp10';
 * DEFAULT_AMQP10_OPTIONS.credit; // 32
 * DEFAULT_AMQP10_OPTIONS.topicPrefix; // 'event.'
 * ```
 * @since 0.2.0
 * @category amqp10
 */
export const DEFAULT_AMQP10_OPTIONS = {
  host: 'amqp://127.0.0.1:5672',
  credit: 32,
  topicPrefix: 'event.',
  timeout: DEFAULT_TIMEOUT,
  reconnect: { initialDelay: 100, maxDelay: 5_000 },
  idleTimeout: 30_000,
} as const;
