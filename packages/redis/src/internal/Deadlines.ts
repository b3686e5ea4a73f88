/** One command waiting for its answer: rejected with `expire()` at `deadline` unless `done` first. */
export interface Deadline {
  readonly deadline: number;
  done: boolean;
  expire(): void;
}

/**
 * The deadlines of the commands sent on one ready connection, watched by one sweep timer
 * instead of a timer per command (the hot path of emit, send and XACK): if the connection
 * drops after a command was written, its caller still fails at its deadline.
 *
 * A plain array in the order commands were sent, not a `Set`: Redis answers a connection's
 * commands in order, so the settled ones are at the front and are dropped as new ones come
 * (no hashing, no deletion from the middle). A sweep keeps only what is still waiting.
 */
export class Deadlines {
  private entries: Deadline[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  /** `every`: ms between sweeps while commands wait. */
  constructor(private readonly every: number) {}

  add(entry: Deadline): void {
    const entries = this.entries;
    while (this.head < entries.length && entries[this.head].done) entries[this.head++] = undefined as unknown as Deadline;
    if (this.head === entries.length) {
      entries.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > entries.length) {
      this.entries = entries.slice(this.head);
      this.head = 0;
    }
    this.entries.push(entry);
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), this.every);
      this.timer.unref();
    }
  }

  /** How many commands wait (tests). */
  get size(): number {
    let n = 0;
    for (let i = this.head; i < this.entries.length; i++) if (!this.entries[i].done) n++;
    return n;
  }

  /** Expires what is past its deadline; the timer stops at a sweep that finds nothing waiting (not per command). */
  private sweep(): void {
    const now = Date.now();
    const waiting: Deadline[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (entry.done) continue;
      if (entry.deadline <= now) {
        entry.done = true;
        entry.expire();
      } else waiting.push(entry);
    }
    this.entries = waiting;
    this.head = 0;
    if (waiting.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
