import { oversize } from './messageSize';
import { DELIVERY_TRACKER, encodeError, Event, getDeliveryTracker, Logger, LoggerLevel, UNHANDLED_ERROR_SUFFIX } from '@tributary/core';
import { merge, Observable, Subject, Subscription } from 'rxjs';
import type { Transport } from '../transport/Transport';
import type { TransportLayerConfig, TransportLayerConnection, TransportMessage } from '../transport/transport.interface';
import type { CloseOptions, ListenerConnection, ListenerHandle, ManualOutcome } from '../server/microservice.interface';
import { DEFAULT_DRAIN_TIMEOUT } from '../server/microservice.interface';
import { DEFAULT_CONCURRENCY } from '../transport/resolveDeliveryOptions';
import { toTransportMessage } from './codec';
import { decodeIncoming, Incoming, IncomingRules } from './decodeIncoming';
import { Delivery, DeliveryOwner } from './Delivery';
import { KeyGate } from './KeyGate';
import { addressOutput, routeOutput } from './outputs';
import { decideSettlement } from './settlementPolicy';
import { FinalSettlement, Settler } from './Settler';
import { HealthMonitor } from './HealthMonitor';
import { transportName } from './transportName';
import type { HealthReport } from '../health/HealthReport';
import { createInstrumentation } from './telemetry/DeliveryTelemetry';
import type { Instrumentation } from './telemetry/Instrumentation';


const TAG = 'messaging';

/**
 * The delivery machine: the connection effects see (`ctx.client`). It takes the transport's
 * messages through the guard (`decodeIncoming`), holds keyed ones in per-key order
 * (`KeyGate`), dispatches each to the listener as a tracked `Delivery`, asks the settlement
 * policy what to do once every effect is done, has the `Settler` carry it out once, and
 * routes outputs (`outputs`). `close()` drains.
 */
export class DeliveryMachine<T extends Transport = Transport> implements ListenerConnection<T>, DeliveryOwner {
  readonly type: T;
  readonly config: { channel: string; timeout: number; raw?: unknown };
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<string>;
  readonly error$: Observable<Error>;
  readonly close$: Observable<unknown>;
  private readonly events = new Subject<Event>();
  readonly event$ = this.events.asObservable();
  private readonly errors = new Subject<Error>();
  private readonly gate: KeyGate;
  private readonly settler: Settler;
  private readonly channel: string;
  private handle?: ListenerHandle;
  private rules!: IncomingRules;
  private consuming?: Subscription;
  /** Deliveries whose effects asked for the abort signal, until they settle. */
  private readonly watched = new Set<Delivery>();
  private closing?: Promise<void>;
  /** The delivery being dispatched synchronously right now (to attribute effect errors). */
  current?: Delivery;
  private readonly telemetry: Instrumentation;
  private readonly monitor: HealthMonitor;
  private readonly run = (event: Event): void => this.handle!.dispatch(event);

  constructor(
    readonly transport: TransportLayerConnection<T>,
    private readonly layer: TransportLayerConfig,
    private readonly logger: Logger,
  ) {
    this.type = transport.type;
    this.config = transport.config;
    this.channel = transport.getChannel();
    this.message$ = transport.message$;
    this.status$ = transport.status$;
    this.close$ = transport.close$;
    this.error$ = merge(transport.error$, this.errors);
    this.gate = new KeyGate(layer.concurrency ?? DEFAULT_CONCURRENCY);
    this.settler = new Settler(transport, this.gate, (error, what) => this.report(error, what), (delivery, attempt) => this.redispatch(delivery, attempt));
    const system = layer.system ?? transportName(transport.type);
    this.telemetry = createInstrumentation({ system, channel: this.channel, logger, slowHandlerWarning: layer.slowHandlerWarning ?? 0, inFlight: () => this.settler.inFlight });
    this.monitor = new HealthMonitor({ transport: transportName(transport.type), channel: this.channel, status$: this.status$, error$: this.error$, inFlight: () => this.settler.inFlight, reconnected: () => this.telemetry.reconnected() });
  }

  get inFlight(): number {
    return this.settler.inFlight;
  }

  /** The connection's health, synchronously (for `/healthz`, `/readyz`). */
  health(): HealthReport {
    return this.monitor.health();
  }

  getChannel(): string {
    return this.channel;
  }

  /** Starts consuming into the listener. */
  start(handle: ListenerHandle): void {
    this.handle = handle;
    this.rules = { channel: this.channel, wire: this.layer.wire, transformer: handle.transformer, maxAttempts: this.layer.expectAck ? undefined : this.layer.retry.maxAttempts, maxMessageSize: this.layer.maxMessageSize };
    this.consuming = this.transport.message$.subscribe({
      next: message => this.receive(message),
      error: error => this.report(error, 'consumer stream failed'),
    });
  }

  private receive(message: TransportMessage): void {
    const incoming = decodeIncoming(message, this.rules);
    if (!incoming.ok) return this.refuse(message, incoming);
    const { event } = incoming;
    this.settler.received();
    const key = event.metadata?.key;
    if (key === undefined) this.dispatch(message, event);
    else this.gate.enter(key, () => this.dispatch(message, event));
  }

  private dispatch(message: TransportMessage, event: Event): void {
    const delivery = new Delivery(this, message, event);
    event.metadata![DELIVERY_TRACKER] = delivery;
    if (this.layer.expectAck) {
      this.settler.remember(delivery);
      delivery.timer = setTimeout(() => this.expire(delivery), this.layer.timeout);
    }
    if (this.events.observed) this.events.next(event);
    const previous = this.current;
    this.current = delivery;
    try {
      this.telemetry.dispatch(delivery, this.run);
    } finally {
      this.current = previous;
    }
    delivery.end();
  }

  /** An in-process retry is due: the same message, decoded afresh, as `attempt`. */
  private redispatch(delivery: Delivery, attempt: number): void {
    const message: TransportMessage = Object.assign({}, delivery.message, { attempt });
    const incoming = decodeIncoming(message, this.rules);
    if (incoming.ok) this.dispatch(message, incoming.event);
  }

  /** All work for a delivery has ended: settle it as the policy says (manual mode: wait). */
  idle(delivery: Delivery): void {
    const { event } = delivery;
    const attempt = event.metadata?.attempt ?? 1;
    const settlement = decideSettlement({
      type: event.type,
      channel: this.channel,
      matched: delivery.isMatched,
      failure: delivery.failure,
      // an error event is an answer, never a request: answering it could bounce forever
      isRequest: event.error === undefined && event.metadata?.replyTo !== undefined,
      expectAck: this.layer.expectAck,
      attempt,
      retry: this.layer.retry,
    });
    if (settlement.outcome === 'wait') return;
    if (settlement.outcome === 'answer') {
      this.answer(event, settlement.error);
      this.settle(delivery, { outcome: 'ack' });
      return;
    }
    if (settlement.outcome === 'dead-letter') {
      const { reason, error } = settlement.info;
      this.log(LoggerLevel.WARN, `"${event.type}" dead-lettered (reason: ${reason}) on attempt ${attempt}${error ? `: ${error.name}: ${error.message}` : ''}`, { id: event.metadata?.id });
    }
    this.settle(delivery, settlement);
  }

  private settle(delivery: Delivery, settlement: FinalSettlement): Promise<boolean> | boolean {
    this.watched.delete(delivery);
    if (!delivery.settled) this.telemetry.settled(delivery, settlement);
    return this.settler.settle(delivery, settlement);
  }

  /** Resolves once the transport carried the settlement out; false when it was settled already or could not be. */
  async settleManually(delivery: Delivery, outcome: ManualOutcome): Promise<boolean> {
    if (delivery.settled) return false;
    if (outcome === 'ack') return this.settle(delivery, { outcome: 'ack' });
    if (outcome === 'resend') return this.settle(delivery, { outcome: 'abandoned' });
    return this.settle(delivery, { outcome: 'dead-letter', info: { reason: 'rejected', attempts: delivery.event.metadata?.attempt ?? 1 } });
  }

  watch(delivery: Delivery): void {
    if (!delivery.settled) this.watched.add(delivery);
  }

  private expire(delivery: Delivery): void {
    if (delivery.settled || this.closing) return;
    this.log(LoggerLevel.WARN, `"${delivery.event.type}" was not acknowledged within ${this.layer.timeout} ms: rejected`);
    this.settle(delivery, { outcome: 'dead-letter', info: { reason: 'timeout', attempts: delivery.event.metadata?.attempt ?? 1 } });
  }

  /** `ackEvent` by message (manual mode), or a raw acknowledgement. */
  async ackMessage(message: TransportMessage | undefined): Promise<void> {
    const delivery = this.settler.find(message);
    if (delivery) await this.settleManually(delivery, 'ack');
    else await this.transport.ackMessage(message);
  }

  async nackMessage(message: TransportMessage | undefined, resend?: boolean): Promise<void> {
    const delivery = this.settler.find(message);
    if (delivery) await this.settleManually(delivery, resend ? 'resend' : 'reject');
    else await this.transport.nackMessage(message, resend);
  }

  deadLetterMessage: TransportLayerConnection['deadLetterMessage'] = (message, info) => this.transport.deadLetterMessage(message, info);

  sendMessage(channel: string, message: TransportMessage, options?: { timeout?: number }): Promise<TransportMessage> {
    return this.transport.sendMessage(channel, message, options);
  }

  emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    return this.transport.emitMessage(channel, message);
  }

  publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    return this.transport.publishMessage(topic, message);
  }

  address(event: Event): Event {
    return addressOutput(event, this.channel);
  }

  /**
   * Sends an effect's output where the output router says (`metadata.replyTo`, by default this
   * service's own channel); the delivery that caused it settles only once it is sent.
   */
  output(event: Event): void {
    const routed = routeOutput(event, this.channel);
    if (!routed) {
      this.log(LoggerLevel.DEBUG, `"${event.type}" not sent: no destination, or an error of a message that is retried or dead-lettered instead`);
      return;
    }
    if (this.events.observed) this.events.next(routed.event);
    const tracker = getDeliveryTracker(event);
    const span = this.telemetry.output(routed.event, tracker instanceof Delivery ? tracker : undefined, routed.destination);
    const message = toTransportMessage(routed.event, this.layer.wire, this.handle!.transformer, true);
    tracker?.begin();
    const tooLarge = oversize(message.data, this.layer.maxMessageSize, routed.destination);
    (tooLarge ? Promise.reject(tooLarge) : this.transport.emitMessage(routed.destination, message)).then(
      () => {
        tracker?.end();
        span?.end();
      },
      error => {
        tracker?.end(error);
        span?.end(error);
        this.report(error, `could not send "${event.type}" to "${routed.destination}"`);
      },
    );
  }

  /** Answers a request at once with `error` (an unhandled or malformed request). */
  private answer(event: Event, error: Error): void {
    const type = event.type.endsWith(UNHANDLED_ERROR_SUFFIX) ? event.type : event.type + UNHANDLED_ERROR_SUFFIX;
    this.output({ type, error: encodeError(error), metadata: event.metadata });
  }

  /** A message refused by the guard: reported, answered if it is a request, dead-lettered. */
  private refuse(message: TransportMessage, incoming: Extract<Incoming, { ok: false }>): void {
    const { error, deadLetter } = incoming;
    if (deadLetter.reason === 'malformed') {
      this.handle?.reportError(error);
      this.errors.next(error);
      this.log(LoggerLevel.WARN, error.message);
      if (message.replyTo) this.answer({ type: 'MALFORMED_MESSAGE', metadata: { replyTo: message.replyTo, correlationId: message.correlationId } }, error);
    } else this.log(LoggerLevel.ERROR, error.message);
    if (this.closing) return;
    this.telemetry.refused(message, deadLetter);
    this.transport.deadLetterMessage(message, deadLetter).catch(e => this.report(e, `could not dead-letter a message (${deadLetter.reason})`));
  }

  /** Reports an infrastructure error on error$ and in the log. */
  report(error: unknown, what: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.errors.next(err);
    this.log(LoggerLevel.ERROR, `${what}: ${err.message}`);
  }

  private log(level: LoggerLevel, message: string, data?: Record<string, unknown>): void {
    this.logger({ tag: TAG, type: 'Microservice', message: `[${this.channel}] ${message}`, level, data: this.telemetry.logData(data) })();
  }

  /** Stops consuming, waits (up to drainTimeout) for in-flight messages to settle, disconnects. */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.doClose(options.drainTimeout ?? DEFAULT_DRAIN_TIMEOUT);
    return this.closing;
  }

  private async doClose(drainTimeout: number): Promise<void> {
    this.consuming?.unsubscribe();
    this.monitor.close();
    this.log(LoggerLevel.INFO, `closing: draining ${this.settler.inFlight} in-flight message(s) (up to ${drainTimeout} ms)`);
    await this.settler.drain(drainTimeout);
    if (this.settler.inFlight > 0) {
      this.log(LoggerLevel.WARN, `${this.settler.inFlight} message(s) still in flight after ${drainTimeout} ms: left to the broker to redeliver`);
      const reason = Object.assign(new Error(`The service on "${this.channel}" closed before this event was handled; it will be delivered again.`), { name: 'DeliveryAbandonedError' });
      for (const delivery of this.watched) delivery.abort(reason);
    }
    this.watched.clear();
    this.settler.stop();
    this.handle?.close();
    this.events.complete();
    this.errors.complete();
    this.telemetry.stop();
    await this.transport.close();
    this.log(LoggerLevel.INFO, 'closed');
  }
}
