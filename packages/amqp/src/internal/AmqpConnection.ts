import type * as amqp from 'amqplib';
import { Observable, Subject, distinctUntilChanged } from 'rxjs';
import { ConnectionStatus, Transport } from '@tributary/messaging';
import type { DeadLetterInfo } from '@tributary/messaging';
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import type { EncodedError } from '@tributary/core';
import { AmqpUnroutableError } from '../errors';
import { AmqpSession } from './AmqpSession';
import { Consumers } from './Consumers';
import { ackDelivery, Delivery, nackDelivery } from './deliveries';
import { InFlightMessages } from '@tributary/messaging/transport';
import { Mover } from './Mover';
import { Publisher } from './Publisher';
import { ReplyChannel } from './ReplyChannel';
import type { ResolvedAmqpOptions } from './resolveOptions';
import { declareClientTopology, declareServiceTopology } from './topology';

/** Reply addresses (direct reply-to, server-named queues) belong to the broker: `amq.` names. */
const isReplyAddress = (queue: string): boolean => queue.startsWith('amq.');

/** The RabbitMQ connection of one service or client, as the messaging SPI sees it. */
export class AmqpConnection implements TransportLayerConnection<Transport.AMQP> {
  readonly type = Transport.AMQP;
  readonly config: { channel: string; timeout: number; readonly raw: amqp.ChannelModel | undefined };
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<ConnectionStatus>;
  readonly error$ = new Subject<Error>();
  readonly close$ = new Subject<void>();
  private readonly session: AmqpSession;
  private readonly consumers: Consumers;
  private readonly replies: ReplyChannel;
  private readonly persistent: boolean;
  private readonly publisher: Publisher;
  private readonly mover: Mover;
  /** Delivered and not settled yet: each is settled once, on the channel that delivered it. */
  private readonly deliveries: InFlightMessages<amqp.Message, Delivery> = new InFlightMessages();
  private closing?: Promise<void>;

  constructor(
    private readonly options: ResolvedAmqpOptions,
    isConsumer: boolean,
  ) {
    const session = new AmqpSession(options, `tributary ${isConsumer ? 'service' : 'client'} ${options.queue}`, {
      declare: channel => (isConsumer ? declareServiceTopology(channel, options) : declareClientTopology(channel, options)),
      resume: live => this.consumers.resume(live),
    });
    this.session = session;
    session.error$.subscribe(this.error$);
    this.status$ = session.status$.pipe(distinctUntilChanged());
    this.consumers = new Consumers(session, options, this.error$, this.deliveries);
    this.replies = new ReplyChannel(session, options);
    this.persistent = options.queueOptions.durable !== false;
    this.publisher = new Publisher(session, options);
    this.mover = new Mover(session, this.publisher, options, this.persistent);
    this.config = {
      channel: options.queue,
      timeout: options.timeout,
      get raw() {
        return session.current?.connection;
      },
    };
    this.message$ = new Observable<TransportMessage>(subscriber => this.consumers.add(message => subscriber.next(message)));
  }

  /** Connects (retrying up to `timeout` while the broker is unreachable) and declares the topology. */
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
    return this.options.queue;
  }

  /** How many `send` calls wait for a reply (0 once all settled: nothing is left behind). */
  get pendingReplies(): number {
    return this.replies.size;
  }

  sendMessage(channel: string, message: TransportMessage, options?: { timeout?: number }): Promise<TransportMessage> {
    return this.replies.send(channel, message, options?.timeout ?? this.options.timeout);
  }

  async emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    const reply = isReplyAddress(channel);
    const outcome = await this.publisher.publish({ exchange: '', routingKey: channel, persistent: this.persistent && !reply, mandatory: true }, message);
    if (outcome === 'returned' && !reply) throw new AmqpUnroutableError(channel);
    // a reply whose caller is gone is dropped by the broker: nothing to do
    return outcome === 'routed';
  }

  async publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    // not mandatory: a topic nobody subscribes to is not an error in publish/subscribe
    await this.publisher.publish({ exchange: this.options.exchange, routingKey: topic, persistent: this.persistent, mandatory: false }, message);
    return true;
  }

  /**
   * Takes the right to settle a message: once only, and only while the channel that delivered
   * it lives. On a dead channel nothing is done: the broker redelivers the message by itself.
   */
  private claim(message: TransportMessage | undefined): Delivery | undefined {
    const delivery = this.deliveries.take(message);
    return delivery?.channel.open ? delivery : undefined;
  }

  ackMessage(message: TransportMessage | undefined): void {
    const delivery = this.claim(message);
    if (delivery) ackDelivery(delivery);
  }

  nackMessage(message: TransportMessage | undefined, resend = false): void {
    const delivery = this.claim(message);
    if (delivery) nackDelivery(delivery, resend);
  }

  async retryMessage(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void> {
    const delivery = this.claim(message);
    if (delivery) await this.mover.retry(delivery, message, retry);
  }

  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const delivery = this.claim(message);
    if (delivery) await this.mover.deadLetter(delivery, message, info);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.replies.close();
    await this.mover.drain();
    await this.session.close();
    this.deliveries.clear();
    this.publisher.stop();
    this.close$.next();
    this.close$.complete();
    this.error$.complete();
  }
}
