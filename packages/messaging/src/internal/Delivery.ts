import { DeliveryTracker, Event } from '@tributary/core';
import type { TransportMessage } from '../transport/transport.interface';

/** How a delivery ended. */
export type Outcome = 'ack' | 'retry' | 'dead-letter' | 'abandoned';

export interface DeliveryOwner {
  idle(delivery: Delivery): void;
}

/**
 * One incoming message on its way through the effects. It is the `DeliveryTracker` the
 * operators report to: `open` counts the work begun and not ended (starting at 1 for the
 * dispatch itself); when it drops to 0 the owner settles the message.
 */
export class Delivery implements DeliveryTracker {
  open = 1;
  isMatched = false;
  failure: unknown = undefined;
  settled = false;
  timer?: NodeJS.Timeout;
  private hooks?: Array<(outcome: Outcome) => void>;

  constructor(
    private readonly owner: DeliveryOwner,
    readonly message: TransportMessage,
    readonly event: Event,
  ) {}

  matched(): void {
    this.isMatched = true;
  }

  begin(): void {
    if (!this.settled) this.open++;
  }

  end(error?: unknown): void {
    if (this.settled) return;
    if (error !== undefined && this.failure === undefined) this.failure = error;
    if (--this.open === 0) this.owner.idle(this);
  }

  /** Records a failure without ending any work (an effect's stream died on this event). */
  fail(error: unknown): void {
    if (!this.settled && this.failure === undefined) this.failure = error;
  }

  /** Runs `hook` once the message is settled (dedupe releases its claim on failure). */
  onSettle(hook: (outcome: Outcome) => void): void {
    (this.hooks ??= []).push(hook);
  }

  finish(outcome: Outcome): void {
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.hooks) for (const hook of this.hooks) hook(outcome);
  }
}
