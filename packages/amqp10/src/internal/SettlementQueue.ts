import type { Delivery } from 'rhea';

/** How a received message is settled. */
export type Outcome = 'accept' | 'release' | 'failed' | 'reject';

interface Pending {
  delivery: Delivery;
  outcome: Outcome;
  done: (handed: boolean) => void;
}

const apply = ({ delivery, outcome }: Pending): void => {
  if (outcome === 'accept') delivery.accept();
  else if (outcome === 'release') delivery.release();
  else if (outcome === 'failed') delivery.modified({ delivery_failed: true });
  else delivery.reject({ condition: 'amqp:internal-error', description: 'rejected by the consumer' });
};

/**
 * Settles the deliveries of one session in order, spreading them over event-loop turns.
 *
 * rhea (3.0.5) writes the dispositions made in one tick as ranges, and merges a run whose first
 * range holds one delivery with the next delivery whatever its outcome: `accept(A)` then
 * `release(B)` in the same tick goes out as one "accepted A..B", and B is lost. So each tick
 * carries at most one outcome: a run of accepts (merging those is right) or one other outcome,
 * and the next waits for `setImmediate`, after rhea has written the frame (on `nextTick`).
 */
export class SettlementQueue {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private stopped = false;
  private idle: Array<() => void> = [];

  get size(): number {
    return this.queue.length;
  }

  /** Queues a settlement; resolves once it is handed to rhea (false: the connection went first). */
  settle(delivery: Delivery, outcome: Outcome): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise<boolean>(resolve => {
      this.queue.push({ delivery, outcome, done: resolve });
      this.schedule();
    });
  }

  /** Resolves when the queue is empty, or after `ms`. */
  flushed(ms: number): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The connection is gone: nothing more is settled on it (the broker redelivers). */
  stop(): void {
    this.stopped = true;
    for (const pending of this.queue.splice(0)) pending.done(false);
    this.wakeIdle();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const first = this.queue.shift();
    if (first) {
      const batch = [first];
      while (first.outcome === 'accept' && this.queue[0]?.outcome === 'accept') batch.push(this.queue.shift()!);
      for (const pending of batch) {
        try {
          apply(pending);
        } catch {
          /* the link is gone: the broker redelivers */
        }
        pending.done(true);
      }
    }
    if (this.queue.length) this.schedule();
    else this.wakeIdle();
  }

  private wakeIdle(): void {
    const idle = this.idle;
    this.idle = [];
    for (const wake of idle) wake();
  }
}
