import type { Delivery, EventContext, Sender } from 'rhea';
import { Amqp10ConnectionLostError, Amqp10SendError } from '../errors';
import type { Amqp10Session } from './Amqp10Session';
import type { Live } from './Live';
import { ROUTING_ANNOTATION } from './properties';
import type { AmqpMessage } from './properties';

/** How Artemis routes (and auto-creates) the address of a message sent through the anonymous relay. */
export type Routing = 'queue' | 'topic' | 'as-is';

interface Outcome {
  resolve: () => void;
  reject: (error: Error) => void;
  address: string;
}

interface Relay {
  sender: Sender;
  outcomes: Map<Delivery, Outcome>;
  /** Sends waiting for credit, in order: sent by the one `sendable` listener, failed when the connection goes. */
  backlog: Array<{ transfer: () => void; reject: (error: Error) => void }>;
}

/** Reply addresses (temporary queues) are UUIDs: sent as they are, never auto-created as queues. */
const TEMPORARY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const routingOf = (address: string): Routing => (TEMPORARY.test(address) ? 'as-is' : 'queue');

/**
 * Sends through one anonymous-relay sender per connection (the message's `to` is the address),
 * and resolves each send once the broker accepted it. Sends are never retried here: the
 * caller decides, knowing whether the connection was lost.
 */
export class Outbox {
  private readonly relays = new WeakMap<Live, Promise<Relay>>();

  constructor(private readonly session: Pick<Amqp10Session, 'ready' | 'recover'>) {}

  /**
   * Sends `message` to `address` on `live`; resolves once accepted, rejects when refused or the
   * connection drops. The message is addressed in place (`to`, the routing annotation): callers
   * pass a message of their own (a copy per send costs more than the rest of this method).
   */
  async send(live: Live, address: string, message: AmqpMessage, routing: Routing): Promise<void> {
    const relay = await this.relay(live);
    const outgoing = message;
    outgoing.to = address;
    if (routing !== 'as-is') (outgoing.message_annotations ??= {})[ROUTING_ANNOTATION] = routing === 'queue' ? 0 : 1;
    await new Promise<void>((resolve, reject) => {
      if (!live.alive) return void live.lost.then(reject);
      const transfer = (): void => {
        try {
          relay.outcomes.set(relay.sender.send(outgoing as never), { resolve, reject, address });
        } catch (error) {
          reject(error as Error);
        }
      };
      if (relay.backlog.length === 0 && relay.sender.sendable()) transfer();
      else relay.backlog.push({ transfer, reject });
    });
  }

  /**
   * Sends on `live`, or on the current connection and the next ones until `timeout`: a message
   * not yet accepted when a connection dropped is sent again (a possible duplicate, never a loss).
   */
  async deliver(address: string, message: AmqpMessage, routing: Routing, timeout: number, live?: Live): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const current = live ?? (await this.session.ready(deadline));
      try {
        return await this.send(current, address, message, routing);
      } catch (error) {
        if (live || !(error instanceof Amqp10ConnectionLostError) || Date.now() >= deadline) throw error;
      }
    }
  }

  private relay(live: Live): Promise<Relay> {
    let relay = this.relays.get(live);
    if (!relay) {
      relay = this.open(live);
      this.relays.set(live, relay);
      relay.catch(() => this.relays.delete(live));
    }
    return relay;
  }

  private async open(live: Live): Promise<Relay> {
    const sender = live.connection.open_sender({ target: {}, autosettle: true });
    const outcomes = new Map<Delivery, Outcome>();
    const backlog: Relay['backlog'] = [];
    // one listener for every waiting send (not one each: a burst would add thousands)
    sender.on('sendable', () => {
      while (backlog.length > 0 && sender.sendable()) backlog.shift()!.transfer();
    });
    const settle = (context: EventContext, failure?: string): void => {
      const delivery = context.delivery;
      const outcome = delivery && outcomes.get(delivery);
      if (!delivery || !outcome) return;
      outcomes.delete(delivery);
      if (failure === undefined) outcome.resolve();
      else {
        const state = delivery.remote_state as { error?: { description?: string } } | undefined;
        outcome.reject(new Amqp10SendError(outcome.address, failure, state?.error?.description));
      }
    };
    sender.on('accepted', context => settle(context));
    sender.on('rejected', context => settle(context, 'rejected'));
    sender.on('released', context => settle(context, 'released'));
    sender.on('modified', context => settle(context, 'modified'));
    // unconfirmed sends fail with the connection: the caller may send them again on the next
    void live.lost.then(error => {
      for (const outcome of outcomes.values()) outcome.reject(error);
      outcomes.clear();
      for (const waiting of backlog.splice(0)) waiting.reject(error);
    });
    sender.on('sender_error', context => {
      if (live.alive) this.session.recover(live, context.sender?.error as Error | undefined);
    });
    await new Promise<void>((resolve, reject) => {
      sender.once('sender_open', () => resolve());
      live.lost.then(reject);
    });
    return { sender, outcomes, backlog };
  }
}
