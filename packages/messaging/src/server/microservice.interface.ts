import { DeliveryTracker, Event, getDeliveryTracker } from '@tributary/core';
import type { Observable } from 'rxjs';
import type { HealthReport } from '../health/HealthReport';
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
  /** `up` / `degraded` (reconnecting) / `down` (closed), in-flight count and last error, synchronously. @since 0.2.0 */
  health(): HealthReport;
}

/**
 * How a delivery was settled: acknowledged, retried, dead-lettered, or left to the broker.
 * @since 0.2.0
 * @category listener
 */
export type SettledOutcome = 'ack' | 'retry' | 'dead-letter' | 'abandoned';

/**
 * What `ackEvent` / `nackEvent` / `nackAndResendEvent` ask of a delivery.
 * @since 0.2.0
 * @category listener
 */
export type ManualOutcome = 'ack' | 'reject' | 'resend';

/**
 * The delivery of one received message, as a listener, middlewares and `ackEvent` see it (the
 * `DeliveryTracker` of `@tributary/messaging`). Read it with {@link asListenerDelivery}.
 * @since 0.1.0
 * @category listener
 */
export interface ListenerDelivery extends DeliveryTracker {
  readonly event: Event;
  readonly signal: AbortSignal;
  /** Marks the message failed without ending any work (an effect's stream died on it). */
  fail(error: unknown): void;
  /** Runs `hook` once the message is settled (`dedupe` releases its claim unless acknowledged). */
  onSettle(hook: (outcome: SettledOutcome) => void): void;
  /**
   * Settles it by hand (manual mode). Resolves true once the transport has carried the
   * settlement out (for an acknowledgement: the broker has it), false when it was settled
   * already or the transport failed (the error goes to `error$`; the broker delivers the
   * message again).
   */
  settle(outcome: ManualOutcome): Promise<boolean>;
}

/**
 * The messaging delivery behind an event, if it came from a messaging connection.
 * @example
 * ```ts
 * import { asListenerDelivery } from '@tributary/messaging';
 * asListenerDelivery({ type: 'Ping' }); // undefined
 * ```
 * @since 0.2.0
 * @category listener
 */
export const asListenerDelivery = (event: Event | undefined): ListenerDelivery | undefined => {
  const tracker = getDeliveryTracker(event) as Partial<ListenerDelivery> | undefined;
  return tracker && typeof tracker.settle === 'function' && typeof tracker.onSettle === 'function' ? (tracker as ListenerDelivery) : undefined;
};

/**
 * What a listener runs on: the connection, plus where to send outputs and which delivery is
 * being dispatched right now.
 * @since 0.1.0
 * @category listener
 */
export interface ListenerConnection<T extends Transport = Transport> extends MicroserviceConnection<T> {
  /**
   * Addresses an effect's output before `output$` sees it: an event without `replyTo` goes
   * back to the service's own channel, with `replyTo` = that channel and the input's
   * `correlationId` (Marble.js).
   */
  address(event: Event): Event;
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
