import { createInbox } from '@nats-io/transport-node';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { PendingReplies } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import { NatsNoRespondersError } from '../errors';
import { fromNatsMessage, toHeaders } from './headers';
import { rpcSubject } from './subjects';

/**
 * `send` over core NATS request/reply: one inbox subscription per connection
 * (`_INBOX.<id>.*`), one reply subject per call, the reply or the server's "no responders"
 * status settling the waiting call.
 */
export class ReplyInbox {
  private readonly prefix = createInbox();
  private readonly pending: PendingReplies;
  private readonly channels = new Map<string, string>();
  private subscription?: Subscription;
  private next = 0;

  constructor(
    private readonly nc: NatsConnection,
    channel: string,
  ) {
    this.pending = new PendingReplies(channel);
  }

  get size(): number {
    return this.pending.size;
  }

  send(channel: string, message: TransportMessage, timeout: number): Promise<TransportMessage> {
    this.subscription ??= this.nc.subscribe(`${this.prefix}.*`, { callback: (error, msg) => (error ? undefined : this.receive(msg)) });
    const token = String(++this.next);
    this.channels.set(token, channel);
    const reply = this.pending.register(token, message.type, timeout, channel).finally(() => this.channels.delete(token));
    try {
      const headers = toHeaders({ ...message, replyTo: undefined });
      this.nc.publish(rpcSubject(channel), message.data as Uint8Array, { reply: `${this.prefix}.${token}`, headers });
    } catch (error) {
      this.pending.reject(token, error as Error);
    }
    return reply;
  }

  private receive(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length + 1);
    if (msg.headers?.code === 503) {
      this.pending.reject(token, new NatsNoRespondersError(this.channels.get(token) ?? '?'));
      return;
    }
    this.pending.resolve(token, fromNatsMessage(msg.data, msg.headers, {}, 1));
  }

  close(): void {
    this.pending.rejectAll();
    this.subscription?.unsubscribe();
  }
}
