import type { DeliveryTracker, Event } from '@tributary/core';
import type { Observable } from 'rxjs';
import type { Transport } from '../transport/Transport';
import type { TransportLayerConnection, TransportMessageTransformer } from '../transport/transport.interface';

/**
 * Options of `close()`.
 * @since 0.1.0
 * @category microservice
 */
export interface CloseOptions {
  /** How long in-flight events may take to finish and settle, in ms (default 10 000). */
  drainTimeout?: number;
}

/** Ten seconds for in-flight events to settle on `close()`. */
export const DEFAULT_DRAIN_TIMEOUT = 10_000;

/**
 * A running service's connection, as `await microservice()` returns it and as effects get it
 * in `ctx.client`.
 * @since 0.1.0
 * @category microservice
 */
export interface MicroserviceConnection<T extends Transport = Transport> extends TransportLayerConnection<T> {
  /** Every event the service received (decoded) and sent. */
  readonly event$: Observable<Event>;
  /** How many received messages are not settled yet. */
  readonly inFlight: number;
  /** Stops taking messages, lets in-flight ones finish and settle, then disconnects. */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * The delivery of one received message, as a listener sees it.
 * @since 0.1.0
 * @category listener
 */
export interface ListenerDelivery extends DeliveryTracker {
  readonly event: Event;
  /** Marks the message failed without ending any work (an effect's stream died on it). */
  fail(error: unknown): void;
}

/**
 * What a listener runs on: the connection, plus where to send outputs and which delivery is
 * being dispatched right now.
 * @since 0.1.0
 * @category listener
 */
export interface ListenerConnection<T extends Transport = Transport> extends MicroserviceConnection<T> {
  /** Sends an effect's output: to `metadata.replyTo`, by default to the service's own channel. */
  output(event: Event): void;
  /** The delivery being dispatched synchronously right now, if any. */
  readonly current?: ListenerDelivery;
}

/**
 * What a listener gives its connection.
 * @since 0.1.0
 * @category listener
 */
export interface ListenerHandle {
  readonly transformer: TransportMessageTransformer;
  /** Pushes a received event through middlewares and effects. */
  dispatch(event: Event): void;
  /** An error not tied to a message (malformed input), for the listener's `error$`. */
  reportError(error: Error): void;
  close(): void;
}
