import { randomUUID } from 'node:crypto';
import type * as amqp from 'amqplib';
import { PendingReplies } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import { AmqpConnectionLostError, AmqpUnroutableError } from '../errors';
import type { AmqpSession } from './AmqpSession';
import type { Live, LiveChannel } from './live';
import { isChannelGone } from './confirmPublish';
import { fromDelivery, toPublishArgs } from './properties';
import type { ResolvedAmqpOptions } from './resolveOptions';

/** RabbitMQ's direct reply-to pseudo-queue: replies come back on the channel that sent the request. */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/**
 * Request/reply over direct reply-to: one long-lived channel per connection consumes
 * `amq.rabbitmq.reply-to` and publishes the requests; `PendingReplies` matches replies by
 * `correlationId` and times calls out. No queue, consumer or timer per call.
 */
export class ReplyChannel {
  readonly pending: PendingReplies;
  /** Calls waiting for a reply, and the channel their request went out on (once it did). */
  private readonly waiting = new Map<string, LiveChannel | undefined>();
  private readonly channels = new WeakMap<Live, Promise<LiveChannel>>();

  constructor(
    private readonly session: AmqpSession,
    private readonly options: ResolvedAmqpOptions,
  ) {
    this.pending = new PendingReplies(options.queue);
  }

  /** How many calls wait for a reply. */
  get size(): number {
    return this.waiting.size;
  }

  send(target: string, message: TransportMessage, timeout: number): Promise<TransportMessage> {
    const given = message.correlationId;
    const correlationId = given !== undefined && !this.waiting.has(given) ? given : randomUUID();
    const reply = this.pending.register(correlationId, message.type, timeout, target);
    this.waiting.set(correlationId, undefined);
    const done = (): void => void this.waiting.delete(correlationId);
    reply.then(done, done);
    void this.publish(target, { ...message, correlationId, replyTo: DIRECT_REPLY_TO }, correlationId, Date.now() + timeout, timeout);
    return reply;
  }

  /** Fails every waiting call (on close). */
  close(): void {
    this.pending.rejectAll();
  }

  private async publish(target: string, message: TransportMessage, id: string, deadline: number, timeout: number): Promise<void> {
    try {
      const channel = await this.channel(await this.session.ready(deadline, timeout));
      if (!this.waiting.has(id)) return; // timed out while waiting for the broker
      this.waiting.set(id, channel);
      const { content, options } = toPublishArgs(message, false);
      options.mandatory = true;
      // no publisher confirm: the reply confirms; an unroutable request comes back as basic.return
      channel.ch.publish('', target, content, options);
    } catch (error) {
      this.pending.reject(id, isChannelGone(error) ? new AmqpConnectionLostError(this.options.queue, error) : (error as Error));
    }
  }

  private channel(live: Live): Promise<LiveChannel> {
    let channel = this.channels.get(live);
    if (!channel) {
      channel = this.open(live);
      channel.catch(() => this.channels.delete(live));
      this.channels.set(live, channel);
    }
    return channel;
  }

  private async open(live: Live): Promise<LiveChannel> {
    const channel = await this.session.openChannel<amqp.Channel>(live, false);
    channel.ch.on('close', () => this.lost(channel));
    channel.ch.on('return', (msg: amqp.Message) => {
      const id = msg.properties.correlationId as string | undefined;
      if (id !== undefined && this.waiting.get(id) === channel) this.pending.reject(id, new AmqpUnroutableError(msg.fields.routingKey));
    });
    await channel.ch.consume(
      DIRECT_REPLY_TO,
      msg => {
        if (msg) this.pending.resolve(msg.properties.correlationId, fromDelivery(msg));
        else if (live.alive) this.session.recover(live);
      },
      { noAck: true },
    );
    return channel;
  }

  /** Replies to requests sent on a closed channel can no longer arrive. */
  private lost(channel: LiveChannel): void {
    for (const [id, sentOn] of this.waiting) {
      if (sentOn === channel) this.pending.reject(id, new AmqpConnectionLostError(this.options.queue));
    }
  }
}
