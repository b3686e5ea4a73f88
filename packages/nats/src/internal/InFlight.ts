import type { JsMsg } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/transport-node';
import { InFlightMessages } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';

/** A received message not yet settled: the `raw` of its transport message. */
export type NatsDelivery =
  | { readonly kind: 'js'; readonly msg: JsMsg; touched: number }
  | { readonly kind: 'core'; readonly msg: Msg; touched: number };

/**
 * The messages of one connection that are being handled (the SPI's `InFlightMessages`, keyed
 * by the delivery itself), each settled once. JetStream ones still in progress after a third
 * of `ackWait` are kept alive with `working()`, so a slow handler is not overtaken by a
 * redelivery, while the messages of a crashed process come back after `ackWait`.
 */
export class InFlight {
  readonly messages = new InFlightMessages<NatsDelivery>();
  private readonly timer: NodeJS.Timeout;

  constructor(ackWait: number) {
    const every = Math.max(100, Math.floor(ackWait / 3));
    this.timer = setInterval(() => this.keepAlive(every), every);
    this.timer.unref();
  }

  add(delivery: NatsDelivery): NatsDelivery {
    this.messages.add(delivery, delivery);
    return delivery;
  }

  /** The delivery behind `message` if it is ours and unsettled; it is settled from now on. */
  claim(message: TransportMessage | undefined): NatsDelivery | undefined {
    return this.messages.take(message);
  }

  /** Gives every unsettled JetStream message back to the server for redelivery after `delay` (closing without finishing them). */
  abandon(delay: number): void {
    for (const delivery of this.messages.values()) {
      if (delivery.kind !== 'js') continue;
      try {
        delivery.msg.nak(delay);
      } catch {
        // the connection is gone: the server redelivers after ackWait
      }
    }
    this.messages.clear();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private keepAlive(every: number): void {
    const now = Date.now();
    for (const delivery of this.messages.values()) {
      if (delivery.kind !== 'js' || now - delivery.touched < every) continue;
      delivery.touched = now;
      try {
        delivery.msg.working();
      } catch {
        // the connection is gone: the server redelivers after ackWait
      }
    }
  }
}
