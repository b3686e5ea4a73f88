import type { JsMsg } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/transport-node';

/** A received message not yet settled: the `raw` of its transport message. */
export type NatsDelivery =
  | { readonly kind: 'js'; readonly msg: JsMsg; touched: number }
  | { readonly kind: 'core'; readonly msg: Msg; touched: number };

/**
 * The messages of one connection that are being handled. Each is settled once (`claim`);
 * JetStream ones still in progress after a third of `ackWait` are kept alive with
 * `working()`, so a slow handler is not overtaken by a redelivery, while the messages of a
 * crashed process come back after `ackWait`.
 */
export class InFlight {
  private readonly live = new Set<NatsDelivery>();
  private readonly timer: NodeJS.Timeout;

  constructor(ackWait: number) {
    const every = Math.max(100, Math.floor(ackWait / 3));
    this.timer = setInterval(() => this.keepAlive(every), every);
    this.timer.unref();
  }

  get size(): number {
    return this.live.size;
  }

  add(delivery: NatsDelivery): NatsDelivery {
    this.live.add(delivery);
    return delivery;
  }

  /** The delivery behind `raw` if it is ours and unsettled; it is settled from now on. */
  claim(raw: unknown): NatsDelivery | undefined {
    const delivery = raw as NatsDelivery;
    if (!raw || !this.live.has(delivery)) return undefined;
    this.live.delete(delivery);
    return delivery;
  }

  /** Gives every unsettled JetStream message back to the server for redelivery after `delay` (closing without finishing them). */
  abandon(delay: number): number {
    let count = 0;
    for (const delivery of this.live) {
      if (delivery.kind !== 'js') continue;
      try {
        delivery.msg.nak(delay);
        count++;
      } catch {
        // the connection is gone: the server redelivers after ackWait
      }
    }
    this.live.clear();
    return count;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private keepAlive(every: number): void {
    const now = Date.now();
    for (const delivery of this.live) {
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
