import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { Observable, share, Subject } from 'rxjs';
import type { EncodedError } from '@tributary/core';
import { Transport } from '@tributary/messaging';
import type { ConnectionStatus, DeadLetterInfo } from '@tributary/messaging';
import type { TransportLayerConnection, TransportMessage, SendOptions } from '@tributary/messaging/transport';
import type { RedisStrategyOptions } from '../RedisStrategyOptions';
import type { ResolvedRedisOptions } from './resolveOptions';
import { ClientRole, createClient, orUnavailable, quitClient, settleWithin, whenReady, withinTimeout } from './clients';
import { StatusTracker } from './StatusTracker';
import { Subscriber } from './Subscriber';
import { ReplyChannel } from './ReplyChannel';
import { CLOSE_WAIT } from './TransportMode';
import type { ModeContext, TransportMode } from './TransportMode';
import { PubSubMode } from './pubsub/PubSubMode';
import { StreamsMode } from './streams/StreamsMode';

/**
 * A live Redis connection: a command client, a pub/sub client (opened on first use: consuming
 * in pubsub mode, replies, topic announcements) and, while consuming in streams mode, a
 * reader client. Moving and settling messages is the mode's business.
 */
export class RedisConnection implements TransportLayerConnection<Transport.REDIS> {
  readonly type = Transport.REDIS;
  readonly config: { channel: string; timeout: number; raw: RedisStrategyOptions };
  readonly message$: Observable<TransportMessage>;
  readonly close$ = new Subject<void>();
  private readonly tracker = new StatusTracker();
  private readonly clients = new Set<Redis>();
  private readonly subscriber: Subscriber;
  private readonly mode: TransportMode;
  private reply?: ReplyChannel;
  private closing?: Promise<void>;

  private constructor(
    private readonly options: ResolvedRedisOptions,
    raw: RedisStrategyOptions,
    command: Redis,
  ) {
    this.config = { channel: options.channel, timeout: options.timeout, raw };
    // background connections wait for Redis as long as it takes; their users bound their own waits
    this.subscriber = new Subscriber(
      () => this.openClient('subscriber', Infinity),
      channel => options.keys.sharded(channel),
    );
    const ctx: ModeContext = {
      options,
      command,
      subscriber: this.subscriber,
      status: this.tracker,
      openClient: (role, timeout) => this.openClient(role, timeout),
      closeClient: (client, now) => this.closeClient(client, now),
      withinTimeout: run => withinTimeout(command, options.timeout, options.address, run),
      report: error => this.report(error),
    };
    this.mode = options.mode === 'streams' ? new StreamsMode(ctx) : new PubSubMode(ctx);
    this.message$ = new Observable<TransportMessage>(subscriber => {
      if (this.closing) {
        subscriber.complete();
        return undefined;
      }
      this.mode.start(message => subscriber.next(message)).catch(error => subscriber.error(error));
      return () => {
        this.mode.stop().catch(error => this.report(error));
      };
    }).pipe(share());
  }

  /** Connects the command client (within `timeout`) and prepares the mode. */
  static async open(options: ResolvedRedisOptions, raw: RedisStrategyOptions, isConsumer: boolean): Promise<RedisConnection> {
    const command = createClient(options, 'command');
    const connection = new RedisConnection(options, raw, command);
    try {
      await connection.adopt(command);
      await connection.mode.setup(isConsumer);
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  get status$(): Observable<ConnectionStatus | string> {
    return this.tracker.status$;
  }

  get error$(): Observable<Error> {
    return this.tracker.error$;
  }

  getChannel(): string {
    return this.options.channel;
  }

  private async adopt(client: Redis, timeout = this.options.timeout): Promise<Redis> {
    this.clients.add(client);
    // ioredis needs an error listener; errors before the first `ready` are reported by whenReady
    client.on('error', () => undefined);
    await whenReady(client, timeout, this.options.address);
    this.tracker.track(client);
    return client;
  }

  private openClient(role: ClientRole, timeout = Infinity): Promise<Redis> {
    if (this.closing) return Promise.reject(new Error(`The Redis connection of "${this.options.channel}" is closed.`));
    const client = createClient(this.options, role);
    return this.adopt(client, timeout).catch(async error => {
      await this.closeClient(client, true);
      throw error;
    });
  }

  private async closeClient(client: Redis, now = false): Promise<void> {
    this.tracker.untrack(client);
    this.clients.delete(client);
    if (now) client.disconnect();
    else await quitClient(client, this.closeWait());
  }

  private report(error: unknown): void {
    if (!this.closing) this.tracker.error$.next(error instanceof Error ? error : new Error(String(error)));
  }

  sendMessage(channel: string, message: TransportMessage, options?: SendOptions): Promise<TransportMessage> {
    this.reply ??= new ReplyChannel(this.options.keys, this.subscriber, this.options.channel);
    const reply = this.reply;
    // the reply channel is subscribed once: later calls do not wait (nor arm a timer) for it
    if (reply.isOpen) return this.call(reply, channel, message, options);
    return orUnavailable(reply.open(), options?.timeout ?? this.options.timeout, this.options.address).then(() => this.call(reply, channel, message, options));
  }

  /** One call on the open reply channel: registered, then sent; the reply (or why there is none). */
  private call(reply: ReplyChannel, channel: string, message: TransportMessage, options?: SendOptions): Promise<TransportMessage> {
    const correlationId = message.correlationId ?? randomUUID();
    const call = reply.register(correlationId, message.type, options?.timeout ?? this.options.timeout, channel);
    this.mode.request(channel, message, call.replyTo, correlationId, options?.reframe).catch(error => reply.reject(call.replyTo, error));
    return call.reply;
  }

  emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    return this.mode.emit(channel, message);
  }

  publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    return this.mode.publish(topic, message);
  }

  ackMessage(message: TransportMessage | undefined): Promise<void> {
    return this.mode.ack(message);
  }

  nackMessage(message: TransportMessage | undefined, resend = false): Promise<void> {
    return this.mode.nack(message, resend);
  }

  retryMessage(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void> {
    return this.mode.retry(message, retry);
  }

  deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    return this.mode.deadLetter(message, info);
  }

  /** How long each step of `close` may wait for Redis (it may be down). */
  private closeWait(): number {
    return Math.min(this.options.timeout, CLOSE_WAIT);
  }

  /** Stops consuming, waits for settlements under way, fails waiting calls, quits every client; bounded when Redis is down. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await settleWithin(this.mode.close(), this.closeWait() * 2);
      this.reply?.close();
      // every client is in `clients` from its creation, connected or still trying
      await Promise.all([...this.clients].map(client => this.closeClient(client)));
      this.tracker.close();
      this.close$.next();
      this.close$.complete();
    })();
    return this.closing;
  }
}
