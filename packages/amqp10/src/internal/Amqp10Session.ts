import { randomUUID } from 'node:crypto';
import { create_container } from 'rhea';
import { BehaviorSubject, Subject } from 'rxjs';
import { BrokerUnavailableError, ConnectionClosedError, ConnectionStatus } from '@tributary/messaging';
import { reconnectDelay } from '@tributary/messaging/transport';
import type { ResolvedAmqp10Options } from './resolveOptions';
import { dropLive, openLive } from './Live';
import type { Live } from './Live';

/** What the owner of the session does on every (re)connection. */
export interface SessionHooks {
  resume(live: Live): Promise<void>;
}

interface Waiter {
  resolve: (live: Live) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));
const noop = (): void => undefined;

/**
 * Owns the broker connection: connects, reconnects with capped exponential backoff and jitter,
 * resumes the receivers each time, reports `status$`, and lets senders wait for a connection
 * up to a deadline. rhea's own reconnection is off: a new connection is a new `Live`.
 */
export class Amqp10Session {
  readonly status$ = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.DISCONNECTED);
  readonly error$ = new Subject<Error>();
  private readonly container = create_container({ id: `tributary-${randomUUID()}` });
  private live?: Live;
  private generation = 0;
  private closed = false;
  private closing?: Promise<void>;
  private opening?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly options: ResolvedAmqp10Options,
    private readonly hooks: SessionHooks,
  ) {}

  get current(): Live | undefined {
    return this.live?.alive ? this.live : undefined;
  }

  /** First connection: retried while the broker is unreachable, up to `timeout`. */
  async start(): Promise<void> {
    const deadline = Date.now() + this.options.timeout;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.open();
      } catch (error) {
        if (this.closed) throw new ConnectionClosedError(this.options.channel);
        const delay = reconnectDelay(attempt, this.options.reconnect);
        if (Date.now() + delay >= deadline) throw new BrokerUnavailableError(this.options.host, this.options.timeout, error);
        await sleep(delay);
      }
    }
  }

  /** Resolves with the live connection, waiting for a reconnection until `deadline`. */
  ready(deadline: number): Promise<Live> {
    const live = this.current;
    if (live) return Promise.resolve(live);
    if (this.closed) return Promise.reject(new ConnectionClosedError(this.options.channel));
    return new Promise<Live>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new BrokerUnavailableError(this.options.host, this.options.timeout));
        }, Math.max(0, deadline - Date.now())),
      };
      this.waiters.add(waiter);
    });
  }

  /** Drops a connection that is no longer usable (a link was detached by the broker) and reconnects. */
  recover(live: Live, error?: Error): void {
    if (error) this.error$.next(error);
    this.lost(live);
    try {
      live.connection.close();
    } catch {
      /* already gone */
    }
  }

  private open(): Promise<void> {
    const opening = this.connect();
    this.opening = opening.catch(noop);
    return opening;
  }

  private async connect(): Promise<void> {
    const live = await openLive(this.container, this.options, ++this.generation, lost => this.lost(lost), error => this.error$.next(error));
    try {
      if (this.closed) throw new ConnectionClosedError(this.options.channel);
      live.alive = true;
      this.live = live;
      for (const waiter of this.waiters) {
        clearTimeout(waiter.timer);
        waiter.resolve(live);
      }
      this.waiters.clear();
      await this.hooks.resume(live);
      if (!live.alive) throw new Error('The broker connection closed while resuming the receivers');
    } catch (error) {
      if (this.live === live) this.live = undefined;
      dropLive(live);
      throw error;
    }
    this.status$.next(ConnectionStatus.CONNECTED);
  }

  private lost(live: Live): void {
    const wasAlive = live.alive;
    live.alive = false;
    live.settlements.stop();
    if (!wasAlive || this.live !== live) return;
    this.live = undefined;
    if (this.closed) return;
    this.status$.next(ConnectionStatus.DISCONNECTED);
    this.reconnect(1);
  }

  private reconnect(attempt: number): void {
    if (this.status$.value !== ConnectionStatus.RECONNECTING) this.status$.next(ConnectionStatus.RECONNECTING);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      this.open().catch((error: Error) => {
        if (this.closed) return;
        this.error$.next(error);
        this.reconnect(attempt + 1);
      });
    }, reconnectDelay(attempt, this.options.reconnect));
  }

  /** Stops reconnecting, fails waiting senders, lets queued settlements go out, closes (bounded). */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new ConnectionClosedError(this.options.channel));
    }
    this.waiters.clear();
    await this.opening;
    const live = this.live;
    this.live = undefined;
    if (live?.alive) {
      await live.settlements.flushed(Math.min(this.options.timeout, 5000));
      live.alive = false;
      const closed = new Promise<void>(resolve => {
        live.connection.once('connection_close', () => resolve());
        live.connection.once('disconnected', () => resolve());
      });
      live.connection.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>(resolve => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      live.settlements.stop();
    }
    this.status$.next(ConnectionStatus.CLOSED);
    this.status$.complete();
    this.error$.complete();
  }
}
