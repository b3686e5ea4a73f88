import type { TransportMessage } from './transport.interface';

/**
 * The messages a transport handed to the delivery machine and has not settled yet, keyed by
 * their `raw` object (each delivery has its own), with what the transport needs to settle each
 * (`Info`: the channel that delivered it, the stream entry, ...). `take` hands a message out
 * once: a second settlement of the same delivery finds nothing and does nothing. It also
 * tracks settlement commands under way, so that `close` can wait for them, and lets a reader
 * wait for room (`below`) so that what is in flight stays bounded.
 *
 * @example
 * ```ts
 * import { InFlightMessages, TransportMessage } from '@tributary/messaging/transport';
 * const inFlight = new InFlightMessages<object, string>();
 * const raw = {};
 * const message: TransportMessage = { data: Buffer.from('{"type":"A"}'), raw };
 * inFlight.add(raw, 'channel-1');
 * inFlight.take(message); // 'channel-1'
 * inFlight.take(message); // undefined: settled once already
 * ```
 * @since 0.2.0
 * @category transport SPI
 */
export class InFlightMessages<Raw extends object, Info = Raw> {
  private readonly messages = new Map<Raw, Info>();
  private readonly settling = new Set<Promise<unknown>>();
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.messages.size;
  }

  add(raw: Raw, info: Info): void {
    this.messages.set(raw, info);
  }

  /** The info of an in-flight message, removed from the set; undefined when unknown or already settled. */
  take(message: TransportMessage | undefined): Info | undefined {
    const raw = message?.raw as Raw | undefined;
    if (!raw || typeof raw !== 'object') return undefined;
    const info = this.messages.get(raw);
    if (info === undefined || !this.messages.delete(raw)) return undefined;
    if (this.waiters.length > 0) this.wake();
    return info;
  }

  /** What is in flight now. */
  values(): IterableIterator<Info> {
    return this.messages.values();
  }

  /** Keeps track of a settlement command until it finishes; returns it. */
  settle<T>(command: Promise<T>): Promise<T> {
    this.settling.add(command);
    const done = (): void => {
      this.settling.delete(command);
    };
    command.then(done, done);
    return command;
  }

  /** Resolves when fewer than `limit` messages are in flight (or `wake` is called). */
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

  /** Waits for the settlement commands under way, `ms` at most (the broker may be down). */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(resolve => (timer = setTimeout(resolve, ms)));
    const settled = (async () => {
      while (this.settling.size) await Promise.allSettled([...this.settling]);
    })();
    await Promise.race([settled, deadline]);
    clearTimeout(timer);
  }

  /** Forgets every message (the connection that delivered them is gone). */
  clear(): void {
    this.messages.clear();
    this.wake();
  }
}
