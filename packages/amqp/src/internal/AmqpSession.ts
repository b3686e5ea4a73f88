import * as amqp from 'amqplib';
import { BehaviorSubject, Subject } from 'rxjs';
import { BrokerUnavailableError, ConnectionClosedError, ConnectionStatus } from '@tributary/messaging';
import { reconnectDelay } from '@tributary/messaging/transport';
import { ReturnTracker } from './confirmPublish';
import { closeQuietly, permanentError } from './connectionFailures';
import type { Live, LiveChannel } from './live';
import type { ResolvedAmqpOptions } from './resolveOptions';

/** What the owner of the session does on every (re)connection. */
export interface SessionHooks {
  /** Declares the topology, on the publish channel. */
  declare(channel: amqp.ConfirmChannel): Promise<void>;
  /** Resumes consuming on the new connection. */
  resume(live: Live): Promise<void>;
}

interface Waiter {
  resolve: (live: Live) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}


const noop = (): void => undefined;
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Owns the broker connection: connects, reconnects with capped exponential backoff and
 * jitter, re-declares the topology and resumes consumers each time, reports `status$`, and
 * lets publishers wait for a connection up to a deadline.
 */
export class AmqpSession {
  readonly status$ = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.DISCONNECTED);
  readonly error$ = new Subject<Error>();
  private live?: Live;
  private generation = 0;
  private closed = false;
  private closing?: Promise<void>;
  private opening?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly waiters = new Set<Waiter>();
  /** The index in `urls` of the node to try first (the one after the node last connected to). */
  private nextUrl = 0;

  constructor(
    private readonly options: ResolvedAmqpOptions,
    private readonly name: string,
    private readonly hooks: SessionHooks,
  ) {}

  /** The live connection, if any. */
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
        if (this.closed) throw new ConnectionClosedError(this.options.queue);
        const permanent = permanentError(error, this.options.host);
        if (permanent) throw permanent;
        const delay = reconnectDelay(attempt, this.options.reconnect);
        if (Date.now() + delay >= deadline) throw new BrokerUnavailableError(this.options.host, this.options.timeout, error);
        await sleep(delay);
      }
    }
  }

  /** Resolves with the live connection, waiting for a reconnection until `deadline`. */
  ready(deadline: number, timeout = this.options.timeout): Promise<Live> {
    const live = this.current;
    if (live) return Promise.resolve(live);
    if (this.closed) return Promise.reject(new ConnectionClosedError(this.options.queue));
    return new Promise<Live>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new BrokerUnavailableError(this.options.host, timeout));
        }, Math.max(0, deadline - Date.now())),
      };
      this.waiters.add(waiter);
    });
  }

  /** Opens a channel whose unexpected close (a channel error) makes the whole connection start afresh. */
  async openChannel<C extends amqp.Channel>(live: Live, confirm: boolean): Promise<LiveChannel<C>> {
    const ch = (confirm ? await live.connection.createConfirmChannel() : await live.connection.createChannel()) as C;
    const channel: LiveChannel<C> = { ch, live, open: true };
    live.channels.add(channel);
    ch.on('error', (error: Error) => this.error$.next(error));
    ch.on('close', () => {
      channel.open = false;
      live.channels.delete(channel);
      if (live.alive && !this.closed) this.recover(live);
    });
    return channel;
  }

  /** Drops a connection that is no longer usable (a channel died, a consumer was cancelled) and reconnects. */
  recover(live: Live): void {
    this.lost(live);
    void closeQuietly(live.connection);
  }

  private open(): Promise<void> {
    const opening = this.connect();
    this.opening = opening.catch(noop);
    return opening;
  }

  /** Connects to the first node of `urls` that answers, starting after the one last used. */
  private async dial(): Promise<amqp.ChannelModel> {
    const { urls } = this.options;
    let failure: unknown;
    for (let i = 0; i < urls.length; i++) {
      const index = (this.nextUrl + i) % urls.length;
      try {
        const connection = await amqp.connect(urls[index], { ...this.options.socketOptions, clientProperties: { connection_name: this.name } });
        // when this connection is lost, the next attempt starts with another node
        this.nextUrl = (index + 1) % urls.length;
        return connection;
      } catch (error) {
        failure = error;
        if (permanentError(error, this.options.host)) break;
      }
    }
    throw failure;
  }

  private async connect(): Promise<void> {
    const connection = await this.dial();
    const live = { generation: ++this.generation, connection, alive: true, retryQueues: new Set<number>(), channels: new Set() } as Live;
    connection.on('error', (error: Error) => this.error$.next(error));
    connection.on('close', () => this.lost(live));
    try {
      live.publish = await this.openChannel<amqp.ConfirmChannel>(live, true);
      live.returns = new ReturnTracker(live.publish.ch);
      await this.hooks.declare(live.publish.ch);
      if (this.closed) throw new ConnectionClosedError(this.options.queue);
      if (!live.alive) throw new Error('The broker connection closed while declaring the topology');
      // publishers may go on now; consumers resume next
      this.live = live;
      for (const waiter of this.waiters) {
        clearTimeout(waiter.timer);
        waiter.resolve(live);
      }
      this.waiters.clear();
      await this.hooks.resume(live);
      if (!live.alive) throw new Error('The broker connection closed while resuming consumers');
    } catch (error) {
      live.alive = false;
      if (this.live === live) this.live = undefined;
      await closeQuietly(connection);
      throw error;
    }
    this.status$.next(ConnectionStatus.CONNECTED);
  }

  private lost(live: Live): void {
    live.alive = false;
    if (this.live !== live) return;
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

  /** Stops reconnecting, fails waiting publishers, waits for outstanding confirms (bounded), closes. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new ConnectionClosedError(this.options.queue));
    }
    this.waiters.clear();
    await this.opening;
    const live = this.live;
    this.live = undefined;
    if (live?.alive) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>(resolve => (timer = setTimeout(resolve, Math.min(this.options.timeout, 5000))));
      await Promise.race([live.publish.ch.waitForConfirms().catch(noop), bound]);
      // channel by channel: a channel's close goes out after its acks, a connection close may overtake them
      await Promise.race([Promise.all([...live.channels].map(channel => channel.ch.close().catch(noop))), bound]);
      clearTimeout(timer);
      live.alive = false;
      await closeQuietly(live.connection);
    }
    this.status$.next(ConnectionStatus.CLOSED);
    this.status$.complete();
    this.error$.complete();
  }
}
