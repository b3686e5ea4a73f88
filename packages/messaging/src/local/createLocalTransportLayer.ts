import { randomUUID } from 'node:crypto';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import { Transport } from '../transport/Transport';
import {
  ConnectionStatus,
  DeadLetterInfo,
  TransportLayer,
  TransportLayerConnection,
  TransportMessage,
} from '../transport/transport.interface';
import type { DeliveryOptions } from '../transport/transportOptions';
import { deliveryConfig, resolveDeliveryOptions } from '../transport/resolveDeliveryOptions';
import { PendingReplies } from '../transport/pendingReplies';
import { InFlightMessages } from '../transport/InFlightMessages';
import { defaultLocalBroker, LocalBroker } from './LocalBroker';
import { uuid } from '../internal/uuid';
import { NoConsumerError } from '../errors/errors';
import { localDeadLetters } from './localDeadLetters';

/**
 * Options of `Transport.LOCAL`.
 * @since 0.1.0
 * @category local transport
 */
export interface LocalStrategyOptions extends DeliveryOptions {
  /** This service's channel (default `event_bus`). */
  channel?: string;
  /** Isolate a set of services on their own broker (default: one per process). */
  broker?: LocalBroker;
}

/** The channel of the event bus (Marble.js name). */
export const EVENT_BUS_CHANNEL = 'event_bus';

/**
 * A copy of a message with another `raw`. A literal, not `{ ...message, raw }`: V8 builds
 * objects made by spread plus new keys on its slow path (~0.7 µs each, per delivery).
 */
const copyMessage = (message: TransportMessage, raw: unknown): TransportMessage => ({
  data: message.data,
  raw,
  replyTo: message.replyTo,
  correlationId: message.correlationId,
  messageId: message.messageId,
  type: message.type,
  timestamp: message.timestamp,
  causationId: message.causationId,
  headers: message.headers,
  attempt: message.attempt,
  key: message.key,
  version: message.version,
});

class LocalConnection implements TransportLayerConnection<Transport.LOCAL> {
  readonly type = Transport.LOCAL;
  readonly config: { channel: string; timeout: number; raw: LocalBroker };
  readonly status$ = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.CONNECTED);
  readonly error$ = new Subject<Error>();
  readonly close$ = new Subject<void>();
  readonly message$: Observable<TransportMessage>;
  private readonly pending: PendingReplies;
  /** Delivered and not settled: each settled once (keyed on the delivery's own `raw`). */
  private readonly inFlight = new InFlightMessages<object, TransportMessage>();
  private replyAddress?: string;
  private releaseReplyAddress?: () => void;
  private closed = false;
  private calls = 0;

  constructor(
    private readonly broker: LocalBroker,
    channel: string,
    timeout: number,
    subscribe: readonly string[],
  ) {
    this.config = { channel, timeout, raw: broker };
    this.pending = new PendingReplies(channel);
    this.message$ = new Observable<TransportMessage>(subscriber => {
      const stopConsuming = this.broker.consume(channel, message => {
        // each delivery is its own object: settlement keys on `raw`
        const delivered = copyMessage(message, { channel });
        this.inFlight.add(delivered.raw, delivered);
        subscriber.next(delivered);
      });
      const stopSubscription = subscribe.length ? this.broker.subscribe(channel, subscribe) : undefined;
      return () => {
        stopConsuming();
        stopSubscription?.();
      };
    });
  }

  getChannel(): string {
    return this.config.channel;
  }

  private replyTo(): string {
    if (!this.replyAddress) {
      this.replyAddress = `${this.config.channel}.reply.${randomUUID()}`;
      this.releaseReplyAddress = this.broker.registerReplyAddress(this.replyAddress, (message, callId) =>
        this.pending.resolve(callId, message),
      );
    }
    return this.replyAddress;
  }

  sendMessage(channel: string, message: TransportMessage, options?: { timeout?: number }): Promise<TransportMessage> {
    // in-process, the broker knows nobody could answer: say so now, not after the timeout
    if (!this.broker.hasConsumer(channel)) return Promise.reject(new NoConsumerError(channel));
    const callId = String(++this.calls);
    const reply = this.pending.register(callId, message.type, options?.timeout ?? this.config.timeout, channel);
    // a copy by literal, not `{ ...message, correlationId, replyTo }` (V8's slow path, per call)
    const request = copyMessage(message, message.raw);
    request.correlationId = message.correlationId ?? uuid();
    request.replyTo = `${this.replyTo()}#${callId}`;
    this.broker.enqueue(channel, request);
    return reply;
  }

  emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    this.broker.enqueue(channel, message);
    return Promise.resolve(true);
  }

  publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    this.broker.publish(topic, message);
    return Promise.resolve(true);
  }

  ackMessage(message: TransportMessage | undefined): void {
    this.inFlight.take(message);
  }

  nackMessage(message: TransportMessage | undefined, resend = false): void {
    const delivered = this.inFlight.take(message);
    if (delivered && resend) this.broker.enqueue(this.config.channel, copyMessage(delivered, undefined));
  }

  async retryMessage(message: TransportMessage, retry: { delay: number; attempt: number }): Promise<void> {
    if (!this.inFlight.take(message)) return;
    const again = copyMessage(message, undefined);
    again.attempt = retry.attempt;
    this.broker.redeliver(this.config.channel, again, retry.delay);
  }

  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    if (!this.inFlight.take(message)) return;
    this.broker.deadLetter(this.config.channel, copyMessage(message, undefined), info);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // like a broker whose consumer went away: what was not settled is delivered again
    for (const message of this.inFlight.values()) this.broker.enqueue(this.config.channel, copyMessage(message, undefined));
    this.inFlight.clear();
    this.pending.rejectAll();
    this.releaseReplyAddress?.();
    this.status$.next(ConnectionStatus.CLOSED);
    this.close$.next();
    this.close$.complete();
    this.status$.complete();
    this.error$.complete();
  }
}

/**
 * Creates the in-process transport layer (`Transport.LOCAL`): the same delivery contract as
 * the brokers (competing instances, publish fan-out, retries, dead letters), in memory, with
 * no serialization.
 *
 * @example
 * ```ts
 * import { createLocalTransportLayer } from '@tributary/messaging';
 * const layer = createLocalTransportLayer({ channel: 'payments', subscribe: ['OrderCreated'] });
 * const connection = await layer.connect({ isConsumer: true });
 * ```
 * @since 0.1.0
 * @category local transport
 */
export const createLocalTransportLayer = (options: LocalStrategyOptions = {}): TransportLayer<Transport.LOCAL> => {
  const broker = options.broker ?? defaultLocalBroker;
  const channel = options.channel ?? EVENT_BUS_CHANNEL;
  const delivery = resolveDeliveryOptions(options, '@tributary/messaging (Transport.LOCAL)');
  const { timeout, subscribe } = delivery;
  return {
    type: Transport.LOCAL,
    config: {
      host: 'local',
      system: 'local',
      channel,
      wire: 'object',
      durable: true,
      ...deliveryConfig(delivery),
    },
    connect: async opts => new LocalConnection(broker, channel, timeout, opts?.isConsumer === false ? [] : subscribe),
    openDeadLetters: async () => localDeadLetters(broker, channel),
  };
};
