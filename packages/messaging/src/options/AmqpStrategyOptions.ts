/*
 * Types only: the options of @tributary/amqp, declared here so that createMicroservice checks
 * them without that package installed (TransportOptionsMap). @tributary/amqp re-exports them.
 */
import type { DeliveryOptions } from '../transport/transportOptions';

/**
 * How the service queue is declared (Marble.js v4 names and meaning). Every client and
 * service that declares the same queue must pass the same values: RabbitMQ refuses a
 * declaration that differs from the existing queue (`PRECONDITION_FAILED`).
 *
 * @example
 * ```ts
 * import { AmqpQueueOptions } from '@tributary/amqp';
 * const queueOptions: AmqpQueueOptions = { durable: true, maxLength: 100_000 };
 * ```
 * @since 0.1.0
 * @category amqp
 */
export interface AmqpQueueOptions {
  /** Survives a broker restart (default `true`); messages are then sent `persistent`. */
  durable?: boolean;
  /** Only this connection may use it; deleted when it closes. */
  exclusive?: boolean;
  /** Deleted once its last consumer is gone. */
  autoDelete?: boolean;
  /** Extra `x-` arguments, passed as they are. */
  arguments?: Record<string, unknown>;
  /** `x-message-ttl`, ms. */
  messageTtl?: number;
  /** `x-expires`: deleted after being unused that long, ms. */
  expires?: number;
  /** `x-dead-letter-exchange` for messages the broker itself rejects or expires. */
  deadLetterExchange?: string;
  /** `x-dead-letter-routing-key`. */
  deadLetterRoutingKey?: string;
  /** `x-max-length`. */
  maxLength?: number;
  /** `x-max-priority`. */
  maxPriority?: number;
}

/**
 * Reconnection backoff: capped exponential with jitter, from `initialDelay` to `maxDelay` ms.
 *
 * @example
 * ```ts
 * import { AmqpReconnectOptions } from '@tributary/amqp';
 * const reconnect: AmqpReconnectOptions = { initialDelay: 250, maxDelay: 10_000 };
 * ```
 * @since 0.1.0
 * @category amqp
 */
export interface AmqpReconnectOptions {
  initialDelay?: number;
  maxDelay?: number;
}

/**
 * Socket options of the broker connection (passed to Node's `net`/`tls`). TLS fields (`ca`,
 * `cert`, `key`, `passphrase`, `servername`, ...) go here too, with an `amqps://` host; a
 * certificate the client cannot verify fails the connection at once with `BrokerTlsError`.
 *
 * @example
 * ```ts
 * import { AmqpSocketOptions } from '@tributary/amqp';
 * const socketOptions: AmqpSocketOptions = { noDelay: true, timeout: 5000 };
 * ```
 * @since 0.1.0
 * @category amqp
 */
export interface AmqpSocketOptions {
  /** Disable Nagle's algorithm (default `true`: lower latency for small messages). */
  noDelay?: boolean;
  /** TCP keep-alive. */
  keepAlive?: boolean;
  /** Connection attempt timeout, ms (default 10 000). */
  timeout?: number;
  [option: string]: unknown;
}

/**
 * Options of `Transport.AMQP`: Marble.js v4's (`host`, `queue`, `queueOptions`,
 * `prefetchCount`, `expectAck`, `timeout`) plus delivery, topology and connection settings.
 *
 * @example
 * ```ts
 * import { createMicroservice, Transport } from '@tributary/messaging';
 * import { AmqpStrategyOptions } from '@tributary/amqp';
 *
 * const options: AmqpStrategyOptions = {
 *   host: 'amqp://guest:guest@127.0.0.1:5672',
 *   queue: 'payments',
 *   subscribe: ['OrderCreated', 'refund.*'],
 *   retry: { maxAttempts: 3 },
 * };
 * // createMicroservice({ transport: Transport.AMQP, options, listener })
 * ```
 * @since 0.1.0
 * @category amqp
 */
export interface AmqpStrategyOptions extends DeliveryOptions {
  /** Broker URL, e.g. `amqp://user:pass@host:5672/vhost` (`amqps://` for TLS). */
  host: string;
  /**
   * Other nodes of a RabbitMQ cluster (URLs like `host`): each (re)connection tries `host` and
   * these in turn, starting after the node it lost, so that a service moves to a survivor
   * when a node dies (see docs/scaling-out.md). Default: none.
   */
  hosts?: readonly string[];
  /** The service's queue: consumed by a service, the target of a client. */
  queue: string;
  queueOptions?: AmqpQueueOptions;
  /** `quorum` declares a replicated quorum queue (it must be durable). Default `classic`. */
  queueType?: 'classic' | 'quorum';
  /**
   * One active consumer at a time on the service queue (RabbitMQ's `x-single-active-consumer`):
   * the other instances wait as hot standbys and take over when it goes. With it, per-key order
   * (`metadata.key`) holds across instances, not only within one. Clients of the service must
   * pass the same value (RabbitMQ refuses a declaration that differs). Default `false`.
   */
  singleActiveConsumer?: boolean;
  /** Unacknowledged messages in flight per consumer (default 32). */
  prefetchCount?: number;
  /** The topic exchange `publish` goes through (default `tributary.events`). */
  exchange?: string;
  /** Dead-letter queue (default `<queue>.dead-letter`); `false` rejects dead letters to the queue's own `deadLetterExchange`, if any. */
  deadLetter?: string | false;
  /** Publisher confirms: `emit`/`publish` resolve once the broker took the message (default `true`). */
  confirm?: boolean;
  reconnect?: AmqpReconnectOptions;
  /** Heartbeat interval in seconds (default 10; 0 disables). */
  heartbeat?: number;
  socketOptions?: AmqpSocketOptions;
}
