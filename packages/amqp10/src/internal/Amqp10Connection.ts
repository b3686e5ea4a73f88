import type { Connection, Delivery } from 'rhea';
import { Observable, Subject, distinctUntilChanged } from 'rxjs';
import { ConnectionStatus, Transport } from '@tributary/messaging';
import type { DeadLetterInfo } from '@tributary/messaging';
import { InFlightMessages } from '@tributary/messaging/transport';
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import type { EncodedError } from '@tributary/core';
import { Amqp10Session } from './Amqp10Session';
import { Inbox } from './Inbox';
import type { InboxDelivery } from './Inbox';
import { Outbox, routingOf } from './Outbox';
import { deadLetterProperties, DELAY_ANNOTATION, toAmqpMessage } from './properties';
import type { AmqpMessage } from './properties';
import { Replies } from './Replies';
import type { ResolvedAmqp10Options } from './resolveOptions';
import type { Outcome } from './SettlementQueue';

/** The AMQP 1.0 connection of one service or client, as the messaging SPI sees it. */
export class Amqp10Connection implements TransportLayerConnection<Transport.AMQP10> {
  readonly type = Transport.AMQP10;
  readonly config: { channel: string; timeout: number; readonly raw: Connection | undefined };
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<ConnectionStatus>;
  readonly error$ = new Subject<Error>();
  readonly close$ = new Subject<void>();
  private readonly session: Amqp10Session;
  private readonly inbox: Inbox;
  private readonly outbox: Outbox;
  private readonly replies: Replies;
  /** Delivered and not settled yet: each is settled once, on the connection that delivered it. */
  private readonly inFlight = new InFlightMessages<Delivery, InboxDelivery>();
  private closing?: Promise<void>;

  constructor(
    private readonly options: ResolvedAmqp10Options,
    isConsumer: boolean,
  ) {
    const session = new Amqp10Session(options, { resume: live => (isConsumer ? this.inbox.resume(live) : Promise.resolve()) });
    this.session = session;
    session.error$.subscribe(this.error$);
    this.status$ = session.status$.pipe(distinctUntilChanged());
    this.inbox = new Inbox(session, options, this.inFlight);
    this.outbox = new Outbox(session);
    this.replies = new Replies(session, this.outbox, options);
    this.config = {
      channel: options.channel,
      timeout: options.timeout,
      get raw() {
        return session.current?.connection;
      },
    };
    this.message$ = new Observable<TransportMessage>(subscriber => this.inbox.add(message => subscriber.next(message)));
  }

  /** Connects (retrying up to `timeout` while the broker is unreachable). */
  async start(): Promise<this> {
    try {
      await this.session.start();
    } catch (error) {
      await this.close();
      throw error;
    }
    return this;
  }

  getChannel(): string {
    return this.options.channel;
  }

  /** How many `send` calls wait for a reply. */
  get pendingReplies(): number {
    return this.replies.size;
  }

  sendMessage(channel: string, message: TransportMessage, options?: { timeout?: number }): Promise<TransportMessage> {
    return this.replies.send(channel, message, options?.timeout ?? this.options.timeout);
  }

  async emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    await this.outbox.deliver(channel, toAmqpMessage(message), routingOf(channel), this.options.timeout);
    return true;
  }

  async publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    await this.outbox.deliver(`${this.options.topicPrefix}${topic}`, toAmqpMessage(message), 'topic', this.options.timeout);
    return true;
  }

  ackMessage(message: TransportMessage | undefined): Promise<void> | void {
    return this.settle(message, 'accept');
  }

  /** `resend`: back to the queue as a failed delivery (counted); otherwise `rejected` (the broker's dead-letter address). */
  nackMessage(message: TransportMessage | undefined, resend = false): Promise<void> | void {
    return this.settle(message, resend ? 'failed' : 'reject');
  }

  /**
   * No delay: `modified` with `delivery_failed`, the broker delivers it again at once and counts
   * it (`delivery_count`). A delay: a copy scheduled on the service queue (`x-opt-delivery-delay`)
   * carrying the attempt (`x-attempt`), then the original accepted.
   */
  async retryMessage(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void> {
    const delay = Math.max(0, Math.round(retry.delay));
    if (delay === 0) return this.settle(message, 'failed');
    const copy = toAmqpMessage({ ...message, attempt: retry.attempt });
    copy.message_annotations = { [DELAY_ANNOTATION]: delay };
    await this.move(message, this.options.channel, copy);
  }

  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    if (this.options.deadLetter === false) return this.settle(message, 'reject');
    await this.move(message, this.options.deadLetter, toAmqpMessage({ ...message, attempt: undefined }, deadLetterProperties(info, this.options.channel)));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Takes the right to settle a message: once only, and only while the connection that delivered it lives. */
  private claim(message: TransportMessage | undefined): InboxDelivery | undefined {
    const entry = this.inFlight.take(message);
    return entry?.live.alive ? entry : undefined;
  }

  private settle(message: TransportMessage | undefined, outcome: Outcome): Promise<void> | void {
    const entry = this.claim(message);
    if (!entry) return;
    return this.inFlight.settle(entry.live.settlements.settle(entry.delivery, outcome)).then(() => this.inbox.settled(entry));
  }

  /**
   * A copy to `address` (accepted by the broker, on the connection that delivered the original),
   * then the original accepted. If the connection drops in between, the broker delivers the
   * original again: at-least-once, never lost.
   */
  private move(message: TransportMessage, address: string, copy: AmqpMessage): Promise<void> {
    const entry = this.claim(message);
    if (!entry) return Promise.resolve();
    const moved = (async () => {
      try {
        await this.outbox.deliver(address, copy, 'queue', this.options.timeout, entry.live);
      } catch (error) {
        if (entry.live.alive) await entry.live.settlements.settle(entry.delivery, 'release');
        this.inbox.settled(entry);
        throw error;
      }
      await entry.live.settlements.settle(entry.delivery, 'accept');
      this.inbox.settled(entry);
    })();
    return this.inFlight.settle(moved);
  }

  private async shutdown(): Promise<void> {
    this.replies.close();
    await this.inFlight.drain(Math.min(this.options.timeout, 5000));
    await this.session.close();
    this.inFlight.clear();
    this.close$.next();
    this.close$.complete();
    this.error$.complete();
  }
}
