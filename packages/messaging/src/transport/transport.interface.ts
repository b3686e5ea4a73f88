import type { EncodedError, Event } from '@tributary/core';
import type { Observable } from 'rxjs';
import type { Transport } from './Transport';
import type { RetryOptions } from './retry';
import type { DeadLetterStore } from './DeadLetterStore';

/**
 * One message as a transport sees it: the encoded `data` and the metadata a broker carries
 * natively. Transports fill what they receive; the messaging layer fills what it sends.
 * @since 0.1.0
 * @category transport SPI
 */
export interface TransportMessage<T = unknown> {
  /** The body (see `TransportWire`): bytes for `body` and `envelope`, the event for `object`. */
  data: T;
  /** The transport-native message (an object: the settlement calls key on it). */
  raw?: any;
  replyTo?: string;
  correlationId?: string;
  /** `metadata.id`: unique per message. */
  messageId?: string;
  /** The event type, for brokers that route or filter on it. */
  type?: string;
  timestamp?: number;
  causationId?: string;
  /** User headers, propagated end to end. */
  headers?: Record<string, string>;
  /** 1-based delivery attempt, as far as the transport knows it. */
  attempt?: number;
  /** `metadata.key`: the ordering / partition key. */
  key?: string;
  /** `metadata.version`: the event's schema version (absent means 1). */
  version?: number;
}

/**
 * How the messaging layer frames events for a transport:
 * - `body`: `msgTransformer.encode({ type, payload, error })`; metadata travels in native
 *   properties (AMQP).
 * - `envelope`: `msgTransformer.encode({ type, payload, error, metadata })`, one document
 *   (Redis).
 * - `object`: the event itself, never serialized (in-process).
 * @since 0.1.0
 * @category transport SPI
 */
export type TransportWire = 'body' | 'envelope' | 'object';

/**
 * Why a message went to the dead-letter destination.
 * - `failed`: processing failed `retry.maxAttempts` times (or with a non-retryable error);
 * - `unhandled`: no effect matched it;
 * - `malformed`: its bytes are not an event;
 * - `rejected`: an effect called `nackEvent`;
 * - `timeout`: manual mode (`expectAck`) and nobody settled it within `timeout`;
 * - `unsupported-version`: the event's version is newer than the codec that validates it.
 * @since 0.1.0
 * @category delivery
 */
export type DeadLetterReason = 'failed' | 'unhandled' | 'malformed' | 'rejected' | 'timeout' | 'unsupported-version' | 'oversize';

/**
 * What travels with a dead letter (AMQP: `x-error-name`, `x-error-message`, `x-attempts`,
 * `x-dead-letter-reason` headers; Redis: fields of the dead-letter entry).
 * @since 0.1.0
 * @category delivery
 */
export interface DeadLetterInfo {
  reason: DeadLetterReason;
  error?: EncodedError;
  attempts: number;
}

/**
 * Connection states reported on `status$`.
 * @since 0.1.0
 * @category transport
 */
export enum ConnectionStatus {
  CONNECTED = 'connected',
  DISCONNECTED = 'disconnected',
  RECONNECTING = 'reconnecting',
  CLOSED = 'closed',
}

/**
 * Static facts about a transport layer, read by the messaging layer.
 * @since 0.1.0
 * @category transport SPI
 */
export interface TransportLayerConfig {
  /** Broker address, credentials masked where logged. */
  host: string;
  /** This service's channel (AMQP queue, Redis channel/stream, local channel). */
  channel: string;
  /** RPC timeout and manual-ack timeout, ms. */
  timeout: number;
  wire: TransportWire;
  /** Manual settlement (`ackEvent` / `nackEvent`) instead of automatic. */
  expectAck: boolean;
  retry: Required<RetryOptions>;
  /** Event types or patterns (`*` one word, `#` any words, dot-separated) to receive from `publish`. */
  subscribe: readonly string[];
  /** Whether messages are kept by the broker until acknowledged (retries, dead letters). */
  durable: boolean;
  /** How many keyed events (`metadata.key`) run at once, one per key (default 32). */
  concurrency?: number;
  /**
   * The broker, as OpenTelemetry's `messaging.system` names it: `rabbitmq`, `redis`, `kafka`,
   * `nats`, `mqtt`, `aws_sqs`, `activemq`, or `local`. Default: the transport's `type`.
   */
  system?: string;
  /** Warn when a message takes longer than this many ms from dispatch to settlement (0 or absent: never). */
  slowHandlerWarning?: number;
  /** The largest message body in bytes (0 or absent: no limit); see `DeliveryOptions.maxMessageSize`. */
  maxMessageSize?: number;
  /**
   * `sendMessage` frames every request itself through `SendOptions.reframe` and never reads the
   * `data` it is handed (Redis pub/sub: the reply address goes inside the envelope). The
   * messaging layer then encodes each request once, in `reframe`, instead of twice.
   * @since 0.3.0
   */
  framesRequests?: boolean;
}

/**
 * Options of `sendMessage`.
 * @since 0.2.0
 * @category transport SPI
 */
export interface SendOptions {
  /** How long to wait for the reply, ms (default: the connection's `timeout`). */
  timeout?: number;
  /**
   * Frames the request again with the reply routing the transport picked, for transports whose
   * wire has no place for it beside the body (Redis pub/sub: the envelope is the message).
   * The messaging layer encodes from the event: no transport parses bytes it was just handed.
   */
  reframe?: (routing: { replyTo: string; correlationId: string }) => TransportMessage['data'];
}

/**
 * The transport SPI: a factory of connections. A transport package exports
 * `createTransportLayer(options): TransportLayer`.
 * @since 0.1.0
 * @category transport SPI
 */
export interface TransportLayer<T extends Transport = Transport> {
  readonly type: T;
  readonly config: TransportLayerConfig;
  connect(opts?: { isConsumer: boolean }): Promise<TransportLayerConnection<T>>;
  /**
   * Optional capability: opens the service's dead-letter destination, to list the dead
   * letters and move them back (`redriveDeadLetters`, `npx tributary dead-letters`). Connects
   * within the layer's `timeout` or rejects with `BrokerUnavailableError`. A transport
   * without it cannot redrive (see {@link DeadLetterStore} for the contract).
   * @since 0.2.0
   */
  openDeadLetters?(): Promise<DeadLetterStore>;
}

/**
 * A live connection. Transports implement it thinly (move bytes, settle natively);
 * `@tributary/messaging` wraps it with decoding, delivery tracking, retries, dead letters
 * and draining, and hands the wrapped one to effects as `ctx.client`.
 * @since 0.1.0
 * @category transport SPI
 */
export interface TransportLayerConnection<T extends Transport = Transport> {
  readonly type: T;
  readonly config: { channel: string; timeout: number; raw?: unknown };
  getChannel(): string;

  /** Incoming messages. Subscribing starts consuming; unsubscribing stops it (drain). */
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<ConnectionStatus | string>;
  readonly error$: Observable<Error>;
  readonly close$: Observable<unknown>;

  /** RPC: resolves with the reply, rejects with `TimeoutError` after `timeout`. */
  sendMessage(channel: string, message: TransportMessage, options?: SendOptions): Promise<TransportMessage>;
  /** To one consumer of `channel` (or to a reply address). Resolves once the broker took it. */
  emitMessage(channel: string, message: TransportMessage): Promise<boolean>;
  /** Fan-out: a copy to every service subscribed to `topic` (the event type). */
  publishMessage(topic: string, message: TransportMessage): Promise<boolean>;

  ackMessage(message: TransportMessage | undefined): void | Promise<void>;
  /** Rejects a message; `resend` puts it back at once. */
  nackMessage(message: TransportMessage | undefined, resend?: boolean): void | Promise<void>;
  /**
   * Keeps the message in the broker and delivers it again after `delay` ms, as `attempt`.
   * Optional: a transport whose broker cannot delay a message (Kafka, MQTT) leaves it out, and
   * the delivery machine retries in process: the message stays unsettled (and its key waits)
   * while it waits for the delay, then its effects run again.
   */
  retryMessage?(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void>;
  /** Moves the message to the dead-letter destination with `info`, then acknowledges it. */
  deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void>;

  close(): Promise<void>;
}

/**
 * Encodes events to a transport's bytes and back (JSON by default).
 * @since 0.1.0
 * @category transport
 */
export interface TransportMessageTransformer {
  decode: <T extends Event = Event>(incoming: Buffer) => T;
  encode: (outgoing: Event) => Buffer;
}
