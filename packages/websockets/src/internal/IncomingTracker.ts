import type { DeliveryTracker } from '@tributary/core';

/**
 * Follows one client event through the effects (`matchEvent` reports a match, `act` its
 * work), to tell the client when no effect took it. The dispatch itself counts as open
 * work, ended by `dispatched()`.
 */
export class IncomingTracker implements DeliveryTracker {
  private open = 1;
  private isMatched = false;

  /** `done`: the message's work is over (matched or not): flow control reads the next one. */
  constructor(
    private readonly unmatched: () => void,
    private done: () => void = () => undefined,
  ) {}

  matched(): void {
    this.isMatched = true;
  }

  begin(): void {
    this.open++;
  }

  end(): void {
    if (--this.open !== 0) return;
    const done = this.done;
    this.done = () => undefined; // once, even if late work begins and ends again
    done();
    if (!this.isMatched) this.unmatched();
  }

  dispatched(): void {
    this.end();
  }
}
