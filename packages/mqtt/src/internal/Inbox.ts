import type { IPublishPacket } from 'mqtt';
import { PROPERTY, userProperty } from './properties';

/** PUBACK reason codes used: success, and "unspecified error" for a rejected message. */
export const ACCEPTED = 0;
export const REJECTED = 0x80;

/** A QoS 1 PUBLISH received and not acknowledged yet: the PUBACK waits for the delivery machine. */
export interface Held {
  readonly packetId: number;
  /** The connection (counted from 1) the broker delivered it on: a PUBACK is valid only there. */
  generation: number;
  readonly messageId: string | undefined;
  readonly payload: Buffer;
  readonly topic: string;
  /** `undefined` while held; the PUBACK reason code once settled. */
  outcome?: number;
}

/**
 * The PUBACKs this client owes the broker. A message is acknowledged once, when the delivery
 * machine settled it, and only on the connection that delivered it. Settled during an outage,
 * it is acknowledged when the broker resends it on the resumed session (same packet id, DUP),
 * without being handed to the effects again; still unsettled then, it stays with the work under
 * way (a retry timer) instead of being delivered twice. Acknowledged just before the
 * connection dropped, its PUBACK may be lost: the broker resends it (DUP) and it is acknowledged
 * again, not delivered twice (for the last `remember` messages, which carry a message id). A session the broker did not keep
 * (`sessionPresent: false`) orphans what was held: settling it does nothing.
 */
export class Inbox {
  private generation = 0;
  private readonly held = new Map<number, Held>();
  /** The last messages acknowledged, by packet id: a PUBACK lost with the connection brings them back (DUP). */
  private readonly acked = new Map<number, Held>();

  constructor(
    private readonly puback: (packetId: number, reasonCode: number) => boolean,
    private readonly remember = 64,
  ) {}

  /** Messages received and not settled yet. */
  get size(): number {
    let n = 0;
    for (const held of this.held.values()) if (held.outcome === undefined) n++;
    return n;
  }

  /** A CONNACK arrived. */
  connected(sessionPresent: boolean): void {
    this.generation++;
    if (!sessionPresent) this.clear();
  }

  /** A QoS 1 PUBLISH arrived: what to hand to the effects, or undefined for a redelivery of one this client already has. */
  receive(packet: IPublishPacket): Held | undefined {
    const packetId = packet.messageId!;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const messageId = userProperty(packet, PROPERTY.messageId);
    const known = this.held.get(packetId);
    if (known && known.generation < this.generation && known.messageId === messageId && known.payload.equals(payload)) {
      known.generation = this.generation;
      if (known.outcome !== undefined) this.acknowledge(known);
      return undefined;
    }
    // acknowledged just before the connection dropped, and the PUBACK was lost: acknowledge again
    const done = packet.dup && messageId !== undefined ? this.acked.get(packetId) : undefined;
    if (done && done.generation < this.generation && done.messageId === messageId && done.payload.equals(payload)) {
      this.acked.delete(packetId);
      this.puback(packetId, done.outcome!);
      return undefined;
    }
    const held: Held = { packetId, generation: this.generation, messageId, payload, topic: packet.topic };
    this.held.set(packetId, held);
    return held;
  }

  /** Whether `held` is still waiting for its settlement (not settled, not orphaned). */
  isOpen(held: Held): boolean {
    return held.outcome === undefined && this.held.get(held.packetId) === held;
  }

  /** Settles once: the PUBACK goes out now, or when the broker resends the message on a resumed session. */
  settle(held: Held, reasonCode = ACCEPTED): boolean {
    if (!this.isOpen(held)) return false;
    held.outcome = reasonCode;
    if (held.generation === this.generation) this.acknowledge(held);
    return true;
  }

  private acknowledge(held: Held): void {
    if (!this.puback(held.packetId, held.outcome!)) return;
    this.held.delete(held.packetId);
    this.acked.delete(held.packetId);
    this.acked.set(held.packetId, held);
    if (this.acked.size > this.remember) this.acked.delete(this.acked.keys().next().value!);
  }

  clear(): void {
    this.held.clear();
    this.acked.clear();
  }
}
