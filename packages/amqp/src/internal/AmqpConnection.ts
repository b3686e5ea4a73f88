import type * as amqp from 'amqplib';
import { Observable, Subject, distinctUntilChanged } from 'rxjs';
import { BrokerUnavailableError, ConnectionStatus, Transport } from '@tributary/messaging';
import type { DeadLetterInfo, TransportLayerConnection, TransportMessage } from '@tributary/messaging';
import type { EncodedError } from '@tributary/core';
import { AmqpUnroutableError } from '../errors';
import { AmqpSession } from './AmqpSession';
import { Consumers } from './Consumers';
import { confirmPublish, isChannelGone } from './confirmPublish';
import type { PublishOutcome } from './confirmPublish';
import { ackDelivery, claimDelivery, nackDelivery } from './deliveries';
import type { Delivery } from './deliveries';
import { HEADER, toPublishArgs } from './properties';
import { ReplyChannel } from './ReplyChannel';
import { Watchdog } from './Watchdog';
import type { ResolvedAmqpOptions } from './resolveOptions';
import { declareClientTopology, declareRetryQueue, declareServiceTopology, retryQueueName } from './topology';

interface PublishTarget {
  exchange: string;
  routingKey: string;
  persistent: boolean;
  /** Detect unroutable messages (basic.return): emits to a queue that does not exist. */
  mandatory: boolean;
  /** Only on this connection (settling a delivery): never after a reconnection. */
  generation?: number;
}

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
  private closing?: Promise<void>;
  /** Deadlines of publishes waiting for their confirm (one timer for all). */
  private readonly watchdog: Watchdog;
  private readonly expired = (): Error => new BrokerUnavailableError(this.options.host, this.options.timeout);
  /** Retries and dead letters under way: close() lets them finish (publish, then ack). */
  private readonly moving = new Set<Promise<void>>();

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
    this.consumers = new Consumers(session, options, this.error$);
    this.replies = new ReplyChannel(session, options);
    this.persistent = options.queueOptions.durable !== false;
    this.watchdog = new Watchdog(Math.max(10, Math.min(250, options.timeout / 10)));
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
    const outcome = await this.publish({ exchange: '', routingKey: channel, persistent: this.persistent && !reply, mandatory: true }, message);
    if (outcome === 'returned' && !reply) throw new AmqpUnroutableError(channel);
    // a reply whose caller is gone is dropped by the broker: nothing to do
    return outcome === 'routed';
  }

  async publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    // not mandatory: a topic nobody subscribes to is not an error in publish/subscribe
    await this.publish({ exchange: this.options.exchange, routingKey: topic, persistent: this.persistent, mandatory: false }, message);
    return true;
  }

  ackMessage(message: TransportMessage | undefined): void {
    const delivery = claimDelivery(message);
    if (delivery) ackDelivery(delivery);
  }

  nackMessage(message: TransportMessage | undefined, resend = false): void {
    const delivery = claimDelivery(message);
    if (delivery) nackDelivery(delivery, resend);
  }

  async retryMessage(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void> {
    const delivery = claimDelivery(message);
    if (!delivery) return;
    const delay = Math.max(0, Math.round(retry.delay));
    await this.moveThenAck(delivery, async generation => {
      if (delay > 0) await this.ensureRetryQueue(generation, delay);
      const routingKey = delay > 0 ? retryQueueName(this.options.queue, delay) : this.options.queue;
      return this.publish({ exchange: '', routingKey, persistent: this.persistent, mandatory: true, generation }, { ...message, attempt: retry.attempt });
    });
  }

  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const delivery = claimDelivery(message);
    if (!delivery) return;
    const deadLetter = this.options.deadLetter;
    if (deadLetter === false) return nackDelivery(delivery, false);
    const headers = {
      [HEADER.reason]: info.reason,
      [HEADER.attempts]: info.attempts,
      [HEADER.originalQueue]: this.options.queue,
      ...(info.error ? { [HEADER.errorName]: info.error.name, [HEADER.errorMessage]: info.error.message } : {}),
    };
    await this.moveThenAck(delivery, generation =>
      this.publish({ exchange: '', routingKey: deadLetter, persistent: this.persistent, mandatory: true, generation }, message, headers),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.replies.close();
    await Promise.allSettled([...this.moving]);
    await this.session.close();
    this.watchdog.stop();
    this.close$.next();
    this.close$.complete();
    this.error$.complete();
  }

  /**
   * Publishes a copy (confirmed) and only then acknowledges the original, on the same
   * connection: if it drops in between, the broker redelivers the original instead.
   */
  private moveThenAck(delivery: Delivery, publish: (generation: number) => Promise<PublishOutcome>): Promise<void> {
    const moved = this.move(delivery, publish);
    this.moving.add(moved);
    const done = (): void => void this.moving.delete(moved);
    moved.then(done, done);
    return moved;
  }

  private async move(delivery: Delivery, publish: (generation: number) => Promise<PublishOutcome>): Promise<void> {
    try {
      const outcome = await publish(delivery.channel.live.generation);
      if (outcome === 'returned') throw new AmqpUnroutableError('retry or dead-letter queue (deleted while in use?)');
      ackDelivery(delivery);
    } catch (error) {
      nackDelivery(delivery, true);
      throw error;
    }
  }

  private async ensureRetryQueue(generation: number, delay: number): Promise<void> {
    const live = this.session.current;
    if (!live || live.generation !== generation) throw new Error('channel closed: the connection was lost');
    if (live.retryQueues.has(delay)) return;
    await declareRetryQueue(live.publish.ch, this.options, delay);
    live.retryQueues.add(delay);
  }

  /**
   * Publishes with a confirm; during an outage waits for the reconnection, publishing again
   * if the connection dropped before the confirm, until `timeout` (then `BrokerUnavailableError`).
   */
  private async publish(target: PublishTarget, message: TransportMessage, headers?: Record<string, unknown>): Promise<PublishOutcome> {
    const { content, options } = toPublishArgs(message, target.persistent, headers);
    options.mandatory = target.mandatory;
    const within = { watchdog: this.watchdog, deadline: Date.now() + this.options.timeout, expired: this.expired };
    for (;;) {
      // the hot path: connected, no waiting
      const live = this.session.current ?? (target.generation === undefined ? await this.session.ready(within.deadline) : undefined);
      if (!live || (target.generation !== undefined && live.generation !== target.generation)) {
        throw new Error('channel closed: the connection was lost before the message could be moved');
      }
      try {
        return await confirmPublish(live.publish.ch, live.returns, target.exchange, target.routingKey, content, options, this.options.confirm, within);
      } catch (error) {
        const retry = target.generation === undefined && isChannelGone(error) && Date.now() < within.deadline;
        if (!retry) throw error;
      }
    }
  }
}
