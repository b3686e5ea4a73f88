import type { Message } from '@aws-sdk/client-sqs';
import type { TransportMessage } from '@tributary/messaging/transport';

/** A received message not settled yet. */
export interface Held {
  readonly url: string;
  readonly receiptHandle: string;
  readonly message: TransportMessage;
  /** When its visibility was last set (ms). */
  extendedAt: number;
  /** A visibility extension under way, if any (a settlement waits for it, so it cannot undo the settlement). */
  extending?: Promise<unknown>;
}

/**
 * Messages handed to the messaging layer and not settled, keyed by their SQS `Message` (the
 * `raw` of the transport message): a settlement takes one out once, so a second settlement
 * of the same delivery does nothing. Bounds the receive loop (`below`).
 */
export class InFlight {
  private readonly held = new Map<Message, Held>();
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.held.size;
  }

  add(raw: Message, held: Held): void {
    this.held.set(raw, held);
  }

  /** Takes the message out; undefined when it is unknown or already settled. */
  take(message: TransportMessage | undefined): Held | undefined {
    const raw = message?.raw as Message | undefined;
    const held = raw ? this.held.get(raw) : undefined;
    if (!held) return undefined;
    this.held.delete(raw!);
    this.wake();
    return held;
  }

  all(): Held[] {
    return [...this.held.values()];
  }

  /** Takes every message out (on close). */
  takeAll(): Held[] {
    const all = this.all();
    this.held.clear();
    this.wake();
    return all;
  }

  /** Resolves when fewer than `limit` messages are held (or on `wake`). */
  below(limit: number): Promise<void> {
    if (this.held.size < limit) return Promise.resolve();
    return new Promise(resolve => this.waiters.push(resolve));
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
