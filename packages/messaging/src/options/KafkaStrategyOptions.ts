/*
 * Types only: the options of @tributary/kafka, declared here so that createMicroservice checks
 * them without that package installed (TransportOptionsMap). @tributary/kafka re-exports them.
 */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { DeliveryOptions } from '../transport/transportOptions';

/**
 * Where a new consumer group starts reading a topic: the oldest message still on the log,
 * only what arrives from now on, or the first message at or after a time (ms since the epoch).
 * A group that has committed offsets always resumes from them.
 *
 * @example
 * ```ts
 * import type { KafkaStartFrom } from '@tributary/kafka';
 * const lastHour: KafkaStartFrom = { timestamp: Date.now() - 3_600_000 };
 * ```
 * @since 0.2.0
 * @category kafka
 */
export type KafkaStartFrom = 'earliest' | 'latest' | { timestamp: number };

/**
 * SASL credentials, passed as they are to `@platformatic/kafka` (`mechanism`: `PLAIN`,
 * `SCRAM-SHA-256`, `SCRAM-SHA-512`, `OAUTHBEARER`; `username`/`password` or `token`).
 *
 * @example
 * ```ts
 * import type { KafkaSaslOptions } from '@tributary/kafka';
 * const sasl: KafkaSaslOptions = { mechanism: 'SCRAM-SHA-256', username: 'orders', password: process.env.KAFKA_PASSWORD };
 * ```
 * @since 0.2.0
 * @category kafka
 */
export interface KafkaSaslOptions {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER' | (string & {});
  username?: string;
  password?: string;
  token?: string;
  [option: string]: unknown;
}

/**
 * Options of `Transport.KAFKA` (package `@tributary/kafka`), for `createMicroservice` and
 * `MessagingClient`. `topic` is the service's topic (what `queue` is on AMQP); instances with
 * the same `groupId` share its partitions.
 *
 * @example
 * ```ts
 * import { Transport } from '@tributary/messaging';
 * import type { KafkaStrategyOptions } from '@tributary/kafka';
 *
 * const options: KafkaStrategyOptions = {
 *   brokers: ['127.0.0.1:9092'],
 *   topic: 'payments',
 *   subscribe: ['OrderPlaced', 'refund.*'],
 *   retry: { maxAttempts: 3 },
 * };
 * // createMicroservice({ transport: Transport.KAFKA, options, listener })
 * ```
 * @since 0.2.0
 * @category kafka
 */
export interface KafkaStrategyOptions extends DeliveryOptions {
  /** Bootstrap brokers, `host:port` (e.g. `['127.0.0.1:9092']`). */
  brokers: string[];
  /** The service's topic: consumed by a service, the target of a client's `emit`/`send`. */
  topic: string;
  /** The consumer group of the service's instances (default: `topic`). Publications are read by `<groupId>.events`. */
  groupId?: string;
  /** Partitions of the topics this transport creates when they are missing (default 3). */
  partitions?: number;
  /** Replication factor of the topics it creates (default 1; use 3 on a production cluster). */
  replicationFactor?: number;
  /** Where a new group starts: `'earliest'` (default for the service topic), `'latest'` (default for publications), or `{ timestamp }`. */
  startFrom?: KafkaStartFrom;
  /** Messages of one partition handed over and not settled yet, at most (default 64); fetching pauses beyond. */
  maxInFlightPerPartition?: number;
  /** The Kafka client id (default `tributary-<topic>`). */
  clientId?: string;
  /** SASL authentication, passed to the client. */
  sasl?: KafkaSaslOptions;
  /** TLS: `true`, or Node's `tls.connect` options. */
  tls?: boolean | TlsConnectionOptions;
  /** Consumer session timeout, ms: how long a crashed instance keeps its partitions (default 10 000). */
  sessionTimeout?: number;
  /** How often offsets of settled messages are committed, ms (default 200). */
  commitInterval?: number;
  /** How often topics are listed to find new ones matching a `subscribe` pattern, ms (default 5 000). */
  topicRefreshInterval?: number;
  /** Idempotent producer (no duplicates from producer retries); default `true`. */
  idempotent?: boolean;
  /** Any other `@platformatic/kafka` client option, passed through (e.g. `connectTimeout`, `retryDelay`). */
  clientOptions?: Record<string, unknown>;
}
