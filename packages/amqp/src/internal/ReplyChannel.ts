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

/** A `send` waiting for its reply. */
interface Call {
  readonly target: string;
  readonly message: TransportMessage;
  readonly deadline: number;
  readonly timeout: number;
  /** The channel the request went out on, once it did. */
  sentOn?: LiveChannel<amqp.ConfirmChannel>;
  /** The broker confirmed the request (routed to the service queue). */
  confirmed: boolean;
  /** Sent again once already after a lost connection. */
  resent: boolean;
}

/**
 * Request/reply over direct reply-to: one long-lived channel per connection consumes
 * `amq.rabbitmq.reply-to` and publishes the requests; `PendingReplies` matches replies by
 * `correlationId` and times calls out. No queue, consumer or timer per call.
 */
export class ReplyChannel {
  readonly pending: PendingReplies;
  /** Calls waiting for a reply: the channel their request went out on (once it did), and whether the broker confirmed it. */
  private readonly waiting = new Map<string, Call>();
  private readonly channels = new WeakMap<Live, Promise<LiveChannel<amqp.ConfirmChannel>>>();

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
    const call: Call = { target, message: { ...message, correlationId, replyTo: DIRECT_REPLY_TO }, deadline: Date.now() + timeout, timeout, confirmed: false, resent: false };
    this.waiting.set(correlationId, call);
    const done = (): void => void this.waiting.delete(correlationId);
    reply.then(done, done);
    void this.publish(correlationId, call);
    return reply;
  }

  /** Fails every waiting call (on close). */
  close(): void {
    this.pending.rejectAll();
  }

  private async publish(id: string, call: Call): Promise<void> {
    try {
      const remaining = Math.max(1, call.deadline - Date.now());
      const channel = await this.channel(await this.session.ready(call.deadline, remaining));
      if (this.waiting.get(id) !== call) return; // timed out while waiting for the broker
      call.sentOn = channel;
      call.confirmed = false;
      const { content, options } = toPublishArgs(call.message, false);
      options.mandatory = true;
      // confirmed: the broker has routed it (a lost connection then fails the call); an
      // unroutable request comes back as basic.return
      channel.ch.publish('', call.target, content, options, error => {
        if (!error && call.sentOn === channel) call.confirmed = true;
      });
    } catch (error) {
      if (isChannelGone(error) && this.resend(id, call)) return;
      this.pending.reject(id, isChannelGone(error) ? new AmqpConnectionLostError(this.options.queue, error, call.confirmed) : (error as Error));
    }
  }

  /** Sends a request again, once, when the broker never confirmed it (it is then known not routed to a consumer). */
  private resend(id: string, call: Call): boolean {
    if (call.resent || call.confirmed || Date.now() >= call.deadline) return false;
    call.resent = true;
    call.sentOn = undefined;
    void this.publish(id, call);
    return true;
  }

  private channel(live: Live): Promise<LiveChannel<amqp.ConfirmChannel>> {
    let channel = this.channels.get(live);
    if (!channel) {
      channel = this.open(live);
      channel.catch(() => this.channels.delete(live));
      this.channels.set(live, channel);
    }
    return channel;
  }

  private async open(live: Live): Promise<LiveChannel<amqp.ConfirmChannel>> {
    const channel = await this.session.openChannel<amqp.ConfirmChannel>(live, true);
    channel.ch.on('close', () => this.lost(channel));
    channel.ch.on('return', (msg: amqp.Message) => {
      const id = msg.properties.correlationId as string | undefined;
      if (id !== undefined && this.waiting.get(id)?.sentOn === channel) this.pending.reject(id, new AmqpUnroutableError(msg.fields.routingKey));
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

  /**
   * Replies to requests sent on a closed channel can no longer arrive: a request the broker
   * never confirmed is sent again once on the next connection; a confirmed one (it may have
   * been processed) fails with `AmqpConnectionLostError`.
   */
  private lost(channel: LiveChannel): void {
    for (const [id, call] of this.waiting) {
      if (call.sentOn !== channel) continue;
      if (!this.resend(id, call)) this.pending.reject(id, new AmqpConnectionLostError(this.options.queue, undefined, call.confirmed));
    }
  }
}
