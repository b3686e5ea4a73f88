import type { TransportMessage } from '@tributary/messaging/transport';

/**
 * Messages handed to the messaging layer and not settled yet, keyed by their `raw` object
 * (each delivery has its own). Settling takes a message out once: a second settlement of the
 * same delivery finds nothing and does nothing. Also tracks settlement commands under way, so
 * that `close` waits for them and recovery does not deliver again what is being acknowledged.
 */
export class InFlight<Raw extends object> {
  private readonly messages = new Map<Raw, TransportMessage>();
  private readonly settling = new Set<Promise<unknown>>();
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.messages.size;
  }

  add(raw: Raw, message: TransportMessage): void {
    this.messages.set(raw, message);
  }

  /** The raw object of an in-flight message, removed from the set; undefined when unknown or already settled. */
  take(message: TransportMessage | undefined): Raw | undefined {
    const raw = message?.raw as Raw | undefined;
    if (!raw || !this.messages.delete(raw)) return undefined;
    this.wake();
    return raw;
  }

  values(): IterableIterator<Raw> {
    return this.messages.keys();
  }

  /** Keeps track of a settlement command until it finishes. */
  settle<T>(command: Promise<T>): Promise<T> {
    this.settling.add(command);
    const done = (): void => {
      this.settling.delete(command);
    };
    command.then(done, done);
    return command;
  }

  /** Resolves when fewer than `limit` messages are in flight (or `release` is called). */
  below(limit: number): Promise<void> {
    if (this.messages.size < limit) return Promise.resolve();
    return new Promise(resolve => this.waiters.push(resolve));
  }

  /** Wakes whoever waits in `below`. */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Waits for the settlement commands under way, `ms` at most (Redis may be down: they then stay pending in Redis). */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(resolve => (timer = setTimeout(resolve, ms)));
    const settled = (async () => {
      while (this.settling.size) await Promise.allSettled([...this.settling]);
    })();
    await Promise.race([settled, deadline]);
    clearTimeout(timer);
  }

  clear(): void {
    this.messages.clear();
    this.wake();
  }
}
