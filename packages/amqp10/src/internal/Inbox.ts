import type { Delivery, EventContext, Receiver } from 'rhea';
import { CoreError } from '@tributary/core';
import type { InFlightMessages, TransportMessage } from '@tributary/messaging/transport';
import type { Amqp10Session } from './Amqp10Session';
import type { Live } from './Live';
import { serviceSources } from './addresses';
import { fromAmqpMessage } from './properties';
import type { AmqpMessage } from './properties';
import type { ResolvedAmqp10Options } from './resolveOptions';

interface Consumer {
  active: boolean;
  deliver(message: TransportMessage): void;
}

/** What the transport needs to settle a delivery: the connection and receiver it came on. */
export interface InboxDelivery {
  delivery: Delivery;
  live: Live;
  receiver: Receiver;
  consumer: Consumer;
}

/**
 * The receivers of a service: its queue and its subscription queues, attached on every
 * connection before the connection is handed out (attaching creates the durable subscription
 * queues, so a service subscribes before it is reported started), with manual settlement and
 * credit as prefetch: no credit until `message$` is subscribed, then `credit` per queue and one
 * back per settled delivery, so at most `credit` are unsettled per queue.
 */
export class Inbox {
  private consumer?: Consumer;
  private readonly receivers = new WeakMap<Live, Receiver[]>();

  constructor(
    private readonly session: Amqp10Session,
    private readonly options: ResolvedAmqp10Options,
    private readonly inFlight: InFlightMessages<Delivery, InboxDelivery>,
  ) {}

  /** Starts consuming (gives credit); returns how to stop. */
  add(deliver: (message: TransportMessage) => void): () => void {
    const consumer: Consumer = { active: true, deliver };
    this.consumer = consumer;
    const live = this.session.current;
    if (live) {
      for (const receiver of this.receivers.get(live) ?? []) {
        receiver.drain = false; // a previous consumer drained the credit on stopping
        receiver.add_credit(this.options.credit);
      }
    }
    return () => {
      consumer.active = false;
      if (this.consumer !== consumer) return;
      this.consumer = undefined;
      // no more credit (drain: the broker sends what the credit allows at once, then stops; those
      // are released); what is in flight is still settled on these links, closed with the connection
      const current = this.session.current;
      if (current) for (const receiver of this.receivers.get(current) ?? []) if (receiver.is_open()) receiver.drain_credit();
    };
  }

  /** Session hook: attach the receivers on a new connection (credit only while consuming). */
  async resume(live: Live): Promise<void> {
    const receivers: Receiver[] = [];
    this.receivers.set(live, receivers);
    for (const source of serviceSources(this.options)) {
      const receiver = live.consumer.open_receiver({
        source: {
          address: source.address,
          capabilities: source.capabilities,
          ...(source.durable ? { durable: 2, expiry_policy: 'never' } : {}),
        },
        credit_window: 0,
        autoaccept: false,
      }) as Receiver;
      receivers.push(receiver);
      receiver.on('message', (context: EventContext) => this.receive(live, receiver, context));
      receiver.on('receiver_error', (context: EventContext) => this.detached(live, source.address, context));
      receiver.on('receiver_close', (context: EventContext) => this.detached(live, source.address, context));
      await new Promise<void>((resolve, reject) => {
        receiver.once('receiver_open', () => resolve());
        live.lost.then(reject);
      });
    }
    if (this.consumer?.active) for (const receiver of receivers) receiver.add_credit(this.options.credit);
  }

  /** One credit back for a settled delivery, while its consumer still consumes on that link. */
  settled(entry: InboxDelivery): void {
    if (entry.consumer.active && entry.live.alive && entry.receiver.is_open()) entry.receiver.add_credit(1);
  }

  private receive(live: Live, receiver: Receiver, context: EventContext): void {
    const delivery = context.delivery;
    if (!delivery) return;
    const consumer = this.consumer;
    if (!consumer?.active || !live.alive) {
      // arrived after the consumer stopped: back to the queue, not counted as an attempt
      void live.settlements.settle(delivery, 'release');
      return;
    }
    this.inFlight.add(delivery, { delivery, live, receiver, consumer });
    consumer.deliver(fromAmqpMessage(context.message as unknown as AmqpMessage, delivery));
  }

  private detached(live: Live, address: string, context: EventContext): void {
    if (!live.alive || this.session.current !== live) return;
    const cause = context.receiver?.error as { description?: string } | undefined;
    this.session.recover(
      live,
      new CoreError(`The broker detached the receiver of "${address}"${cause?.description ? ` (${cause.description})` : ''}; reconnecting to attach it again.`, {
        context: 'amqp10.receive',
        cause,
      }),
    );
  }
}
