/*
 * Types only: the options of @tributary/amqp10, declared here so that createMicroservice checks
 * them without that package installed (TransportOptionsMap). @tributary/amqp10 re-exports them.
 */
import type { DeliveryOptions } from '../transport/transportOptions';

/**
 * Reconnection backoff of the AMQP 1.0 transport: capped exponential with jitter, from
 * `initialDelay` to `maxDelay` ms.
 *
 * @example
 * ```ts
 * import type { Amqp10ReconnectOptions } from '@tributary/amqp10';
 * const reconnect: Amqp10ReconnectOptions = { initialDelay: 250, maxDelay: 10_000 };
 * ```
 * @since 0.2.0
 * @category amqp10
 */
export interface Amqp10ReconnectOptions {
  initialDelay?: number;
  maxDelay?: number;
}

/**
 * Options of `Transport.AMQP10` (AMQP 1.0: ActiveMQ Artemis and other AMQP 1.0 brokers), for
 * `createMicroservice` and `MessagingClient`. A service consumes the anycast queue `channel`
 * and, for `subscribe`, one durable subscription queue per pattern on the multicast addresses
 * `event.<type>`; dead letters go to the queue `<channel>.dead-letter`.
 *
 * @example
 * ```ts
 * import { Transport } from '@tributary/messaging';
 * import type { Amqp10StrategyOptions } from '@tributary/amqp10';
 *
 * const options: Amqp10StrategyOptions = {
 *   host: 'amqp://127.0.0.1:5673',
 *   channel: 'orders',
 *   subscribe: ['PaymentCaptured', 'inventory.*'],
 *   credit: 64,
 *   retry: { maxAttempts: 5, initialDelay: 200 },
 * };
 * // createMicroservice({ transport: Transport.AMQP10, options, listener })
 * ```
 * @since 0.2.0
 * @category amqp10
 */
export interface Amqp10StrategyOptions extends DeliveryOptions {
  /**
   * The broker: `amqp://[user:pass@]host:port` (`amqps://` for TLS; user and password are sent
   * with SASL PLAIN, none means ANONYMOUS). Default `amqp://127.0.0.1:5672`.
   */
  host?: string;
  /** This service's queue (an anycast address), or the target service's for a client. */
  channel: string;
  /** Prefetch: the link credit of each receiver, i.e. the most unsettled messages per queue. Default 32. */
  credit?: number;
  /** The dead-letter queue (default `<channel>.dead-letter`); `false` rejects dead letters to the broker's own dead-letter address. */
  deadLetter?: string | false;
  /** Prefix of the multicast address of each event type that `publish` sends to. Default `event.`. */
  topicPrefix?: string;
  reconnect?: Amqp10ReconnectOptions;
  /** AMQP idle timeout (heartbeat), ms: the broker is considered gone after twice this without a frame. Default 30 000 (0 disables). */
  idleTimeout?: number;
  /** Passed through to rhea's `connect` (TLS files, `container_id`, SASL mechanisms, ...); `reconnect` is ignored: the transport reconnects itself. */
  connectionOptions?: Readonly<Record<string, unknown>>;
}
