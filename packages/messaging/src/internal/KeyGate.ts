/**
 * Per-key order and the concurrency of keyed work: the work of one key runs one at a time, in
 * the order it entered; different keys run side by side, at most `concurrency` at once.
 */
export class KeyGate {
  /** Keys with work running (or waiting for a slot), and the work queued behind it. */
  private readonly keys = new Map<string, Array<() => void>>();
  /** Keys that wait for a concurrency slot, in order. */
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  constructor(private readonly concurrency: number) {}

  /** Runs `start` now, or once the earlier work of `key` has left and a slot is free. */
  enter(key: string, start: () => void): void {
    const queue = this.keys.get(key);
    if (queue) {
      queue.push(start);
      return;
    }
    this.keys.set(key, []);
    if (this.active < this.concurrency) {
      this.active++;
      start();
    } else this.waiting.push(start);
  }

  /** The running work of `key` has left: the next of that key goes on in its slot. */
  leave(key: string): void {
    const queue = this.keys.get(key);
    if (!queue) return;
    const next = queue.shift();
    if (next) return next();
    this.keys.delete(key);
    const waiting = this.waiting.shift();
    if (waiting) waiting();
    else this.active--;
  }

  /** How many keys have work running or queued. */
  get size(): number {
    return this.keys.size;
  }
}
