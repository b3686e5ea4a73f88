import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection as NatsClient } from '@nats-io/transport-node';
import { BehaviorSubject, distinctUntilChanged, Observable, Subject } from 'rxjs';
import type { EncodedError } from '@tributary/core';
import { ConnectionClosedError, ConnectionStatus, Transport } from '@tributary/messaging/transport';
import type { DeadLetterInfo, SendOptions, TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { NatsTopologyError } from '../errors';
import { Consumers } from './Consumers';
import { openClient } from './connect';
import type { Backoff } from './connect';
import { deadLetterCopy, toHeaders } from './headers';
import { InFlight } from './InFlight';
import { isTransient, Publisher } from './Publisher';
import { ReplyInbox } from './ReplyInbox';
import type { ResolvedNatsOptions } from './resolveOptions';
import { Topology } from './Topology';

/** How long messages given back on close wait before redelivery: longer than closing takes. */
const RETURN_DELAY = 1_000;
const isReplyAddress = (subject: string): boolean => subject.startsWith('_INBOX.');

/** The NATS connection of one service or client, as the messaging SPI sees it. */
export class NatsConnection implements TransportLayerConnection<Transport.NATS> {
  readonly type = Transport.NATS;
  readonly config: { channel: string; timeout: number; raw: NatsClient };
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<ConnectionStatus>;
  readonly error$ = new Subject<Error>();
  readonly close$ = new Subject<void>();
  private readonly status = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.CONNECTED);
  private readonly js: JetStreamClient;
  private readonly inflight: InFlight;
  private readonly publisher: Publisher;
  private readonly replies: ReplyInbox;
  private consumers?: Consumers;
  private closing?: Promise<void>;

  private constructor(
    private readonly nc: NatsClient,
    private readonly backoff: Backoff,
    private readonly topology: Topology,
    private readonly options: ResolvedNatsOptions,
  ) {
    this.js = jetstream(nc);
    this.inflight = new InFlight(options.ackWait);
    this.publisher = new Publisher(this.js, options, async subject => {
      topology.reset();
      if (options.deadLetter && subject === options.deadLetter.subject) await topology.deadLetterStream();
      else if (subject.startsWith(`${options.eventPrefix}.`)) await topology.eventStream();
      else await topology.serviceStream(subject);
    });
    this.replies = new ReplyInbox(nc, options.channel);
    this.config = { channel: options.channel, timeout: options.timeout, raw: nc };
    this.status$ = this.status.pipe(distinctUntilChanged());
    this.message$ = new Observable<TransportMessage>(subscriber => {
      if (!this.consumers) return undefined; // a client consumes nothing
      this.consumers.start(message => subscriber.next(message));
      return () => this.consumers?.stop();
    });
    void this.watch();
  }

  /** Connects and sets up the streams (and, for a service, its durable consumers). */
  static async open(options: ResolvedNatsOptions, isConsumer: boolean): Promise<NatsConnection> {
    const backoff: Backoff = { attempt: 0 };
    const nc = await openClient(options, options.name ?? `tributary ${isConsumer ? 'service' : 'client'} ${options.channel}`, backoff);
    let connection: NatsConnection | undefined;
    try {
      const jsm = await jetstreamManager(nc).catch(error => {
        throw new NatsTopologyError('the JetStream API', error);
      });
      const topology = new Topology(jsm, options);
      connection = new NatsConnection(nc, backoff, topology, options);
      if (isConsumer) {
        const specs = await topology.serviceConsumers();
        connection.consumers = new Consumers(nc, connection.js, topology, specs, connection.inflight, options, connection.error$);
      }
      return connection;
    } catch (error) {
      if (connection) await connection.close();
      else await nc.close().catch(() => undefined);
      throw error;
    }
  }

  getChannel(): string {
    return this.options.channel;
  }

  /** How many `send` calls wait for a reply (0 once all settled). */
  get pendingReplies(): number {
    return this.replies.size;
  }

  sendMessage(channel: string, message: TransportMessage, options?: SendOptions): Promise<TransportMessage> {
    if (this.closing) return Promise.reject(new ConnectionClosedError(this.options.channel));
    return this.replies.send(channel, message, options?.timeout ?? this.options.timeout);
  }

  async emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    if (this.closing) throw new ConnectionClosedError(this.options.channel);
    if (isReplyAddress(channel)) {
      // a reply: core NATS, dropped by the server when the caller is gone; it carries no
      // x-reply-to of its own (the caller's inbox is where it goes, nobody answers a reply)
      const reply = message.replyTo === undefined ? message : { ...message, replyTo: undefined };
      this.nc.publish(channel, message.data as Uint8Array, { headers: toHeaders(reply) });
      return true;
    }
    await this.ready(this.topology.serviceStream(channel));
    await this.publisher.publish(channel, message.data as Uint8Array, toHeaders(message));
    return true;
  }

  async publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    if (this.closing) throw new ConnectionClosedError(this.options.channel);
    if (!/^[^\s*>]+$/.test(topic) || topic.split('.').includes('')) {
      throw new Error(`@tributary/nats: cannot publish "${topic}": event types published over NATS are subject tokens without spaces, * or >.`);
    }
    await this.ready(this.topology.eventStream());
    await this.publisher.publish(`${this.options.eventPrefix}.${topic}`, message.data as Uint8Array, toHeaders(message));
    return true;
  }

  /** Waits for a stream; while the server is unreachable the publish retries (and creates it) instead. */
  private async ready(stream: Promise<string>): Promise<void> {
    try {
      await stream;
    } catch (error) {
      if (!isTransient(error instanceof NatsTopologyError ? error.cause : error)) throw error;
    }
  }

  ackMessage(message: TransportMessage | undefined): void {
    const delivery = this.inflight.claim(message);
    if (delivery?.kind === 'js') delivery.msg.ack();
  }

  nackMessage(message: TransportMessage | undefined, resend = false): void {
    const delivery = this.inflight.claim(message);
    if (delivery?.kind === 'js') {
      if (resend) delivery.msg.nak();
      else delivery.msg.term();
    }
  }

  async retryMessage(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void> {
    const delivery = this.inflight.claim(message);
    // the server delivers it again after `delay`; its delivery count is the next attempt
    if (delivery?.kind === 'js') delivery.msg.nak(retry.delay);
  }

  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const delivery = this.inflight.claim(message);
    if (!delivery) return;
    const dl = this.options.deadLetter;
    if (!dl) {
      this.error$.next(new Error(`@tributary/nats: a message of "${this.options.channel}" was dropped (${info.reason}; deadLetter is false)`));
      if (delivery.kind === 'js') delivery.msg.term();
      return;
    }
    try {
      await this.inflight.messages.settle(
        (async () => {
          await this.topology.deadLetterStream();
          await this.publisher.publish(dl.subject, delivery.msg.data, deadLetterCopy(delivery, message, info));
        })(),
      );
    } catch (error) {
      // not stored: the server delivers it again, and it is dead-lettered then
      if (delivery.kind === 'js') delivery.msg.nak(1_000);
      throw error;
    }
    if (delivery.kind === 'js') delivery.msg.term();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // dead letters being stored finish first (bounded: the server may be down)
    await this.inflight.messages.drain(Math.min(this.options.timeout, 5_000));
    // what the messaging layer did not settle (a drain that gave up) and what arrived after
    // consuming stopped is redelivered in a moment, once this connection is gone, not after ackWait
    this.consumers?.release(RETURN_DELAY);
    this.inflight.abandon(RETURN_DELAY);
    this.inflight.stop();
    this.replies.close();
    this.publisher.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>(resolve => (timer = setTimeout(resolve, Math.min(this.options.timeout, 5_000))));
    // drain: flushes the acknowledgements still buffered, then closes
    await Promise.race([this.nc.drain().catch(() => this.nc.close()), bound]);
    clearTimeout(timer);
    if (!this.nc.isClosed()) await this.nc.close().catch(() => undefined);
    await this.consumers?.closed();
    this.status.next(ConnectionStatus.CLOSED);
    this.status.complete();
    this.close$.next();
    this.close$.complete();
    this.error$.complete();
  }

  /** Maps the client's own reconnection onto `status$`. */
  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (this.closing) break;
      if (s.type === 'disconnect') this.status.next(ConnectionStatus.DISCONNECTED);
      else if (s.type === 'reconnecting') this.status.next(ConnectionStatus.RECONNECTING);
      else if (s.type === 'reconnect') {
        this.topology.reset();
        this.backoff.attempt = 0;
        this.publisher.reconnected();
        this.status.next(ConnectionStatus.CONNECTED);
      } else if (s.type === 'error') this.error$.next(s.error);
    }
  }
}
