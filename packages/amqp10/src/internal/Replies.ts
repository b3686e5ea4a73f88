import { randomUUID } from 'node:crypto';
import type { EventContext, Receiver } from 'rhea';
import { PendingReplies } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { Amqp10Session } from './Amqp10Session';
import type { Live } from './Live';
import type { Outbox } from './Outbox';
import { fromAmqpMessage, toAmqpMessage } from './properties';
import type { AmqpMessage } from './properties';
import type { ResolvedAmqp10Options } from './resolveOptions';

/**
 * Request/reply: one receiver per connection on a dynamic address (a temporary queue the
 * broker names and deletes with the connection), opened on the first `send`, on a session of
 * its own (its deliveries are accepted automatically, never in the same frame as the service's
 * settlements). `PendingReplies` matches replies by `correlation_id` and times calls out.
 */
export class Replies {
  readonly pending: PendingReplies;
  /** Calls waiting for a reply, and the connection their request went out on (once it did). */
  private readonly waiting = new Map<string, Live | undefined>();
  private readonly addresses = new WeakMap<Live, Promise<string>>();

  constructor(
    private readonly session: Amqp10Session,
    private readonly outbox: Outbox,
    options: ResolvedAmqp10Options,
  ) {
    this.pending = new PendingReplies(options.channel);
  }

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
    void this.request(target, message, correlationId, Date.now() + timeout);
    return reply;
  }

  close(): void {
    this.pending.rejectAll();
  }

  private async request(target: string, message: TransportMessage, id: string, deadline: number): Promise<void> {
    try {
      const live = await this.session.ready(deadline);
      const replyTo = await this.address(live);
      if (!this.waiting.has(id)) return; // timed out while waiting for the broker
      this.waiting.set(id, live);
      await this.outbox.send(live, target, toAmqpMessage({ ...message, correlationId: id, replyTo }), 'queue');
    } catch (error) {
      this.pending.reject(id, error as Error);
    }
  }

  private address(live: Live): Promise<string> {
    let address = this.addresses.get(live);
    if (!address) {
      address = this.open(live);
      this.addresses.set(live, address);
      address.catch(() => this.addresses.delete(live));
    }
    return address;
  }

  private async open(live: Live): Promise<string> {
    const session = live.connection.create_session();
    session.open();
    const receiver = session.open_receiver({ source: { dynamic: true }, credit_window: 100, autoaccept: true }) as Receiver;
    receiver.on('message', (context: EventContext) => {
      const amqp = context.message as unknown as AmqpMessage;
      const id = amqp.correlation_id;
      if (id !== undefined && id !== null) this.pending.resolve(String(id), fromAmqpMessage(amqp, context.delivery ?? {}));
    });
    receiver.on('receiver_error', () => undefined);
    void live.lost.then(error => {
      for (const [id, sentOn] of this.waiting) if (sentOn === live) this.pending.reject(id, error);
    });
    return new Promise<string>((resolve, reject) => {
      receiver.once('receiver_open', () => {
        const address = receiver.source?.address;
        if (address) resolve(address);
        else reject(new Error('The broker opened the reply receiver without an address (dynamic nodes unsupported?)'));
      });
      live.lost.then(reject);
    });
  }
}
