/*
 * Types only: the options of @tributary/sqs, declared here so that createMicroservice checks
 * them without that package installed (TransportOptionsMap). @tributary/sqs re-exports them.
 */
import type { DeliveryOptions } from '../transport/transportOptions';

/**
 * AWS credentials. Leave them out on AWS to use the SDK's default chain (environment,
 * shared config, instance or task role). They are never logged.
 *
 * @example
 * ```ts
 * import type { SqsCredentials } from '@tributary/sqs';
 * const credentials: SqsCredentials = { accessKeyId: 'x', secretAccessKey: 'x' }; // ElasticMQ takes any
 * ```
 * @since 0.2.0
 * @category sqs
 */
export interface SqsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * `publish` through Amazon SNS: one topic (default `tributary-events`, `.fifo` added for FIFO)
 * that every publisher sends to, and one SQS subscription per subscribing service, with raw
 * message delivery and a filter policy on the event type built from its `subscribe` patterns.
 *
 * @example
 * ```ts
 * import type { SqsSnsOptions } from '@tributary/sqs';
 * const sns: SqsSnsOptions = { host: 'http://127.0.0.1:4566', topic: 'shop-events' };
 * ```
 * @since 0.2.0
 * @category sqs
 */
export interface SqsSnsOptions {
  /** SNS endpoint (default: AWS's for `region`; an emulator such as fauxqs in tests). */
  host?: string;
  /** The topic's name (default `tributary-events`; FIFO: `tributary-events.fifo`). */
  topic?: string;
}

/**
 * Reconnection backoff after network errors: capped exponential with jitter, ms.
 *
 * @example
 * ```ts
 * import type { SqsReconnectOptions } from '@tributary/sqs';
 * const reconnect: SqsReconnectOptions = { initialDelay: 200, maxDelay: 10_000 };
 * ```
 * @since 0.2.0
 * @category sqs
 */
export interface SqsReconnectOptions {
  initialDelay?: number;
  maxDelay?: number;
}

/**
 * Options of `Transport.SQS` (Amazon SQS, or an SQS-compatible server such as ElasticMQ).
 * The service's queue is `<channel>` (`<channel>.fifo` with `fifo`), created when missing,
 * with a dead-letter queue `<channel>-dead-letter` behind a redrive policy.
 *
 * @example
 * ```ts
 * import { Transport } from '@tributary/messaging';
 * import type { SqsStrategyOptions } from '@tributary/sqs';
 *
 * const options: SqsStrategyOptions = {
 *   host: 'http://127.0.0.1:9324',
 *   channel: 'payments',
 *   region: 'elasticmq',
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
 *   retry: { maxAttempts: 3 },
 * };
 * // createMicroservice({ transport: Transport.SQS, options, listener })
 * ```
 * @since 0.2.0
 * @category sqs
 */
export interface SqsStrategyOptions extends DeliveryOptions {
  /** SQS endpoint URL, e.g. `http://127.0.0.1:9324` (ElasticMQ); leave out on AWS (from `region`). */
  host?: string;
  /** The service's name: its queue (a client: the queue of the service it talks to). Letters, digits, `-`, `_`. */
  channel: string;
  /** AWS region (default: `AWS_REGION`, else `us-east-1`). */
  region?: string;
  credentials?: SqsCredentials;
  /** FIFO queue `<channel>.fifo`: `metadata.key` is the MessageGroupId, `metadata.id` the deduplication id. */
  fifo?: boolean;
  /** Seconds a received message stays hidden from other consumers; extended while its effects run (default 30). */
  visibilityTimeout?: number;
  /** Long polling: seconds one ReceiveMessage waits for messages, 0–20 (default 20). */
  waitTimeSeconds?: number;
  /** Most messages received and not yet settled at once (default: `concurrency`, i.e. 32). */
  prefetch?: number;
  /** Dead-letter queue name (default `<channel>-dead-letter`); `false`: no dead-letter queue, dead letters are deleted. */
  deadLetter?: string | false;
  /** `publish` through SNS; `false` or absent: `publish` fails with a message saying how to turn it on. */
  sns?: SqsSnsOptions | boolean;
  reconnect?: SqsReconnectOptions;
  /** Create missing queues, the dead-letter queue and its redrive policy (default `true`). */
  createQueues?: boolean;
}
