import type { DeliveryTracker } from '@tributary/core';

/**
 * Follows one client event through the effects (`matchEvent` reports a match, `act` its
 * work), to tell the client when no effect took it. The dispatch itself counts as open
 * work, ended by `dispatched()`.
 */
export class IncomingTracker implements DeliveryTracker {
  private open = 1;
  private isMatched = false;

  constructor(private readonly unmatched: () => void) {}

  matched(): void {
    this.isMatched = true;
  }

  begin(): void {
    this.open++;
  }

  end(): void {
    if (--this.open === 0 && !this.isMatched) this.unmatched();
  }

  dispatched(): void {
    this.end();
  }
}
