/** A promise settler that gives up at a deadline. */
export interface Watched {
  readonly deadline: number;
  expire(): void;
}

/**
 * Deadlines of many in-flight operations (publishes waiting for their confirm) on one
 * interval timer, armed only while something is watched, instead of a timer per message.
 * Precision: `period` ms.
 */
export class Watchdog {
  private readonly watched = new Set<Watched>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly period: number) {}

  watch(entry: Watched): void {
    this.watched.add(entry);
    this.timer ??= setInterval(() => this.sweep(), this.period);
  }

  unwatch(entry: Watched): void {
    this.watched.delete(entry);
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.watched) {
      if (entry.deadline <= now) {
        this.watched.delete(entry);
        entry.expire();
      }
    }
    if (this.watched.size === 0) this.stop();
  }

  /** Stops the timer (what is still watched just never expires). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
