import { randomUUID } from 'node:crypto';
import {
  DELIVERY_TRACKER,
  encodeError,
  Event,
  EventMetadata,
  getDeliveryTracker,
  isEventError,
  Logger,
  LoggerLevel,
  UNHANDLED_ERROR_SUFFIX,
} from '@tributary/core';
import { merge, Observable, Subject, Subscription } from 'rxjs';
import { MalformedMessageError, UnhandledEventError } from '../errors/errors';
import type { Transport } from '../transport/Transport';
import type {
  DeadLetterInfo,
  TransportLayerConfig,
  TransportLayerConnection,
  TransportMessage,
  TransportMessageTransformer,
} from '../transport/transport.interface';
import { retryDelay } from '../transport/retry';
import { CloseOptions, DEFAULT_DRAIN_TIMEOUT, ListenerConnection, ListenerHandle } from '../server/microservice.interface';
import { DecodeFailure, fromTransportMessage, toTransportMessage } from './codec';
import { Delivery, DeliveryOwner, Outcome } from './Delivery';

/** `reply()` without a known destination. */
export const UNKNOWN_TAG = '_UNKNOWN_';

const TAG = 'messaging';

/**
 * The connection effects see (`ctx.client`): the transport's connection plus decoding,
 * delivery tracking, settlement (ack / retry / dead letter), output routing and draining.
 */
export class ManagedConnection<T extends Transport = Transport> implements ListenerConnection<T>, DeliveryOwner {
  readonly type: T;
  readonly config: { channel: string; timeout: number; raw?: unknown };
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<string>;
  readonly error$: Observable<Error>;
  readonly close$: Observable<unknown>;
  private readonly events = new Subject<Event>();
  readonly event$ = this.events.asObservable();
  private readonly errors = new Subject<Error>();
  private readonly deliveries = new WeakMap<object, Delivery>();
  private handle?: ListenerHandle;
  private transformer!: TransportMessageTransformer;
  private consuming?: Subscription;
  private inflight = 0;
  private drained?: () => void;
  private closing?: Promise<void>;
  private closed = false;
  /** The delivery being dispatched synchronously right now (to attribute effect errors). */
  current?: Delivery;

  constructor(
    readonly transport: TransportLayerConnection<T>,
    private readonly layer: TransportLayerConfig,
    private readonly logger: Logger,
  ) {
    this.type = transport.type;
    this.config = transport.config;
    this.message$ = transport.message$;
    this.status$ = transport.status$;
    this.close$ = transport.close$;
    this.error$ = merge(transport.error$, this.errors);
  }

  get inFlight(): number {
    return this.inflight;
  }

  getChannel(): string {
    return this.transport.getChannel();
  }

  /** Starts consuming into the listener. */
  start(handle: ListenerHandle): void {
    this.handle = handle;
    this.transformer = handle.transformer;
    this.consuming = this.transport.message$.subscribe({
      next: message => this.receive(message),
      error: error => this.report(error, 'consumer stream failed'),
    });
  }

  private receive(message: TransportMessage): void {
    let event: Event;
    try {
      event = fromTransportMessage(message, this.layer.wire, this.transformer);
    } catch (error) {
      this.malformed(message, error);
      return;
    }
    if (!this.layer.expectAck && this.attemptOf(event) > this.layer.retry.maxAttempts) {
      // delivered again and again without ever failing cleanly: it crashes its consumer
      this.poisoned(message, event);
      return;
    }
    const delivery = new Delivery(this, message, event);
    event.metadata![DELIVERY_TRACKER] = delivery;
    if (this.layer.expectAck && message.raw && typeof message.raw === 'object') this.deliveries.set(message.raw, delivery);
    this.inflight++;
    if (this.layer.expectAck) {
      delivery.timer = setTimeout(() => this.expire(delivery), this.layer.timeout);
    }
    if (this.events.observed) this.events.next(event);
    const previous = this.current;
    this.current = delivery;
    try {
      this.handle!.dispatch(event);
    } finally {
      this.current = previous;
    }
    delivery.end();
  }

  /** All work for a delivery has ended: settle it (or, in manual mode, wait for ackEvent). */
  idle(delivery: Delivery): void {
    const { event } = delivery;
    // an error event is an answer, never a request: answering it could bounce forever
    const replyTo = event.error === undefined ? event.metadata?.replyTo : undefined;
    if (!delivery.isMatched) {
      const error = new UnhandledEventError(event.type, this.getChannel());
      if (replyTo) {
        this.sendErrorReply(event, error);
        return this.settle(delivery, 'ack');
      }
      this.log(LoggerLevel.WARN, `No effect handles "${event.type}": dead-lettered (reason: unhandled)`, { id: event.metadata?.id });
      return this.settle(delivery, 'dead-letter', { reason: 'unhandled', error: encodeError(error), attempts: this.attemptOf(event) });
    }
    if (this.layer.expectAck) return; // settled by ackEvent / nackEvent, or expired
    if (delivery.failure !== undefined && !replyTo) {
      const attempt = this.attemptOf(event);
      const error = encodeError(delivery.failure);
      if (isEventError(delivery.failure) || attempt >= this.layer.retry.maxAttempts) {
        this.log(LoggerLevel.WARN, `"${event.type}" failed on attempt ${attempt}: dead-lettered`, { id: event.metadata?.id, error: error.message });
        return this.settle(delivery, 'dead-letter', { reason: 'failed', error, attempts: attempt });
      }
      return this.settle(delivery, 'retry', undefined, { delay: retryDelay(this.layer.retry, attempt), attempt: attempt + 1, error });
    }
    this.settle(delivery, 'ack');
  }

  private attemptOf(event: Event): number {
    return event.metadata?.attempt ?? 1;
  }

  private expire(delivery: Delivery): void {
    if (delivery.settled || this.closed) return;
    this.log(LoggerLevel.WARN, `"${delivery.event.type}" was not acknowledged within ${this.layer.timeout} ms: rejected`);
    this.settle(delivery, 'dead-letter', { reason: 'timeout', attempts: this.attemptOf(delivery.event) });
  }

  private settle(
    delivery: Delivery,
    outcome: Outcome,
    deadLetter?: DeadLetterInfo,
    retry?: { delay: number; attempt: number; error: ReturnType<typeof encodeError> },
  ): void {
    if (delivery.settled) return;
    delivery.finish(outcome);
    if (!this.closed) {
      const { message } = delivery;
      let done: void | Promise<void>;
      try {
        done =
          outcome === 'ack'
            ? this.transport.ackMessage(message)
            : outcome === 'retry'
              ? this.transport.retryMessage(message, retry!)
              : outcome === 'dead-letter'
                ? this.transport.deadLetterMessage(message, deadLetter!)
                : this.transport.nackMessage(message, true);
      } catch (error) {
        done = Promise.reject(error);
      }
      if (done) done.catch(error => this.report(error, `could not ${outcome} a message; the broker will deliver it again`));
    }
    if (--this.inflight === 0 && this.drained) this.drained();
  }

  /** Manual settlement (ackEvent / nackEvent) of the message behind `raw` or an event. */
  settleManually(target: unknown, outcome: 'ack' | 'reject' | 'resend'): boolean {
    const delivery = this.findDelivery(target);
    if (!delivery || delivery.settled) return false;
    if (outcome === 'ack') this.settle(delivery, 'ack');
    else if (outcome === 'resend') this.settle(delivery, 'abandoned');
    else this.settle(delivery, 'dead-letter', { reason: 'rejected', attempts: this.attemptOf(delivery.event) });
    return true;
  }

  private findDelivery(target: unknown): Delivery | undefined {
    if (!target || typeof target !== 'object') return undefined;
    const tracker = getDeliveryTracker(target as Event);
    if (tracker instanceof Delivery) return tracker;
    return this.deliveries.get(target) ?? ((target as TransportMessage).raw ? this.deliveries.get((target as TransportMessage).raw) : undefined);
  }

  ackMessage(message: TransportMessage | undefined): void {
    if (!this.settleManually(message, 'ack')) this.transport.ackMessage(message);
  }

  nackMessage(message: TransportMessage | undefined, resend?: boolean): void {
    if (!this.settleManually(message, resend ? 'resend' : 'reject')) this.transport.nackMessage(message, resend);
  }

  retryMessage(message: TransportMessage, retry: { delay: number; attempt: number; error: ReturnType<typeof encodeError> }): Promise<void> {
    return this.transport.retryMessage(message, retry);
  }

  deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    return this.transport.deadLetterMessage(message, info);
  }

  sendMessage(channel: string, message: TransportMessage, options?: { timeout?: number }): Promise<TransportMessage> {
    return this.transport.sendMessage(channel, message, options);
  }

  emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    return this.transport.emitMessage(channel, message);
  }

  publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    return this.transport.publishMessage(topic, message);
  }

  /**
   * Sends an effect's output: to `metadata.replyTo`, by default back to this service's own
   * channel (Marble.js chaining). Error events of emitted (non-RPC) messages are not sent:
   * their message is retried or dead-lettered instead.
   */
  output(event: Event): void {
    const metadata = event.metadata;
    const tracker = getDeliveryTracker(event) as Delivery | undefined;
    const replyTo = metadata?.replyTo;
    if (replyTo === UNKNOWN_TAG) return;
    if (event.error !== undefined && !replyTo) {
      this.log(LoggerLevel.DEBUG, `"${event.type}" not sent: the failed message is retried or dead-lettered instead`);
      return;
    }
    const destination = replyTo ?? this.getChannel();
    const out: Event = {
      type: event.type,
      payload: event.payload,
      error: event.error instanceof Error ? encodeError(event.error) : event.error,
      metadata: this.outputMetadata(metadata, tracker, destination),
    };
    if (this.events.observed) this.events.next(out);
    const message = toTransportMessage(out, this.layer.wire, this.transformer, true);
    tracker?.begin();
    this.transport.emitMessage(destination, message).then(
      () => tracker?.end(),
      error => {
        tracker?.end(error);
        this.report(error, `could not send "${event.type}" to "${destination}"`);
      },
    );
  }

  private outputMetadata(metadata: EventMetadata | undefined, tracker: Delivery | undefined, replyTo: string): EventMetadata {
    const cause = tracker?.event.metadata;
    return {
      id: randomUUID(),
      correlationId: metadata?.correlationId ?? cause?.correlationId,
      causationId: cause?.id ?? metadata?.causationId,
      replyTo: metadata?.replyTo === undefined ? undefined : replyTo,
      timestamp: Date.now(),
      headers: metadata?.headers ?? cause?.headers,
    };
  }

  private sendErrorReply(event: Event, error: Error): void {
    this.output({
      type: event.type.endsWith(UNHANDLED_ERROR_SUFFIX) ? event.type : event.type + UNHANDLED_ERROR_SUFFIX,
      error: encodeError(error),
      metadata: event.metadata,
    });
  }

  private poisoned(message: TransportMessage, event: Event): void {
    const attempts = this.attemptOf(event);
    const error = {
      name: 'MaxAttemptsExceededError',
      message: `"${event.type}" was delivered ${attempts} times (retry.maxAttempts is ${this.layer.retry.maxAttempts}) without being settled: its consumers probably crashed on it.`,
    };
    this.log(LoggerLevel.ERROR, error.message, { id: event.metadata?.id });
    this.transport
      .deadLetterMessage(message, { reason: 'failed', error, attempts })
      .catch(e => this.report(e, 'could not dead-letter a message over its attempts'));
  }

  private malformed(message: TransportMessage, cause: unknown): void {
    const reason = cause instanceof DecodeFailure ? cause.message : String((cause as Error)?.message ?? cause);
    const error = new MalformedMessageError(this.getChannel(), reason, cause);
    this.handle?.reportError(error);
    this.errors.next(error);
    this.log(LoggerLevel.WARN, error.message);
    if (message.replyTo) {
      this.output({ type: 'MALFORMED_MESSAGE' + UNHANDLED_ERROR_SUFFIX, error: encodeError(error), metadata: { replyTo: message.replyTo, correlationId: message.correlationId } });
    }
    if (this.closed) return;
    this.transport
      .deadLetterMessage(message, { reason: 'malformed', error: encodeError(error), attempts: message.attempt ?? 1 })
      .catch(e => this.report(e, 'could not dead-letter a malformed message'));
  }

  /** Reports an infrastructure error on error$ and in the log. */
  report(error: unknown, what: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.errors.next(err);
    this.log(LoggerLevel.ERROR, `${what}: ${err.message}`);
  }

  private log(level: LoggerLevel, message: string, data?: Record<string, unknown>): void {
    this.logger({ tag: TAG, type: 'Microservice', message: `[${this.getChannel()}] ${message}`, level, data })();
  }

  /** Stops consuming, waits (up to drainTimeout) for in-flight messages to settle, disconnects. */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.doClose(options.drainTimeout ?? DEFAULT_DRAIN_TIMEOUT);
    return this.closing;
  }

  private async doClose(drainTimeout: number): Promise<void> {
    this.consuming?.unsubscribe();
    if (this.inflight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>(resolve => {
        this.drained = resolve;
        timer = setTimeout(resolve, drainTimeout);
      });
      clearTimeout(timer);
      if (this.inflight > 0) {
        this.log(LoggerLevel.WARN, `${this.inflight} message(s) still in flight after ${drainTimeout} ms: left to the broker to redeliver`);
      }
    }
    this.closed = true;
    this.handle?.close();
    this.events.complete();
    this.errors.complete();
    await this.transport.close();
  }
}
