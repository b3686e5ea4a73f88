import { randomUUID } from 'node:crypto';
import { BehaviorSubject, Observable, share, Subject } from 'rxjs';
import { ConnectionStatus, Transport } from '@tributary/messaging';
import type { KafkaStrategyOptions } from '@tributary/messaging';
import { matchTopic } from '@tributary/messaging/transport';
import type { DeadLetterInfo, SendOptions, TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { eventTopic } from '../eventTopic';
import { Clients, CLOSE_WAIT, settleWithin } from './Clients';
import { DeadLetters } from './DeadLetters';
import { asError } from './client';
import { GroupReader, KafkaRaw } from './GroupReader';
import { ReplyTopic } from './ReplyTopic';
import type { ResolvedKafkaOptions } from './resolveOptions';
import { toBytes, toHeaders } from './wire';

const isPattern = (type: string): boolean => type.includes('*') || type.includes('#');
const EVENT_PREFIX = 'event.';

/**
 * A live Kafka connection: a producer (emit, publish, requests, replies, dead letters), an
 * admin client (topics), and while consuming a group member on the service topic
 * (`groupId`) and one on the subscribed event topics (`<groupId>.events`).
 */
export class KafkaConnection implements TransportLayerConnection<Transport.KAFKA> {
  readonly type = Transport.KAFKA;
  readonly config: { channel: string; timeout: number; raw: KafkaStrategyOptions };
  readonly message$: Observable<TransportMessage>;
  readonly status$ = new BehaviorSubject<ConnectionStatus | string>(ConnectionStatus.CONNECTED);
  readonly error$ = new Subject<Error>();
  readonly close$ = new Subject<void>();
  private readonly clients: Clients;
  private readonly readers: GroupReader[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private reply?: ReplyTopic;
  private readonly deadLetters: DeadLetters;
  private deliver?: (message: TransportMessage) => void;
  private refresh?: NodeJS.Timeout;
  private closing?: Promise<void>;

  constructor(
    private readonly options: ResolvedKafkaOptions,
    raw: KafkaStrategyOptions,
  ) {
    this.config = { channel: options.topic, timeout: options.timeout, raw };
    this.clients = new Clients(options, connected => this.setStatus(connected));
    this.deadLetters = new DeadLetters(this.clients, options.topic, error => this.report(error), () => this.closing !== undefined);
    this.message$ = new Observable<TransportMessage>(subscriber => {
      if (this.closing) {
        subscriber.complete();
        return undefined;
      }
      this.deliver = message => subscriber.next(message);
      this.startReading();
      return () => {
        this.deliver = undefined;
        void this.stopReading();
      };
    }).pipe(share());
  }

  /**
   * Connects. A consumer makes sure its topics exist and that its groups know where to start
   * (so that what is emitted or published once `connect` resolved is read even with
   * `startFrom: 'latest'`); a client creates target topics on first use.
   */
  async open(isConsumer: boolean): Promise<this> {
    try {
      await this.clients.connect();
      if (!isConsumer) return this;
      const { topic, groupId, startFrom, subscribe } = this.options;
      await this.clients.ensureTopic(topic);
      this.readers.push(this.reader(groupId, [topic], startFrom ?? 'earliest'));
      if (subscribe.length > 0) {
        const exact = subscribe.filter(type => !isPattern(type)).map(eventTopic);
        await Promise.all(exact.map(t => this.clients.ensureTopic(t)));
        this.readers.push(this.reader(`${groupId}.events`, [...new Set([...exact, ...(await this.matchingTopics())])], startFrom ?? 'latest'));
      }
      await Promise.all(this.readers.map(reader => reader.prepare()));
      // join the groups now: an instance is a member (it has its partitions) once connected
      await Promise.all(this.readers.map(reader => reader.start()));
      return this;
    } catch (error) {
      await this.close();
      throw asError(error);
    }
  }

  getChannel(): string {
    return this.options.topic;
  }

  private report(error: Error): void {
    if (!this.closing) this.error$.next(error);
  }

  private setStatus(connected: boolean): void {
    if (this.closing) return;
    const next = connected ? ConnectionStatus.CONNECTED : ConnectionStatus.RECONNECTING;
    if (this.status$.value !== next) this.status$.next(next);
  }

  private reader(groupId: string, topics: string[], startFrom: 'earliest' | 'latest' | { timestamp: number }): GroupReader {
    return new GroupReader(this.clients, this.options, {
      groupId,
      topics,
      startFrom,
      deliver: message => this.deliver?.(message),
      report: error => this.report(error),
      status: connected => this.setStatus(connected),
    });
  }

  private startReading(): void {
    for (const reader of this.readers) reader.flow();
    const events = this.readers[1];
    if (events && this.options.subscribe.some(isPattern) && !this.closing) this.watchTopics(events);
  }

  /** Event topics on the cluster that a `subscribe` pattern matches. */
  private async matchingTopics(): Promise<string[]> {
    const patterns = this.options.subscribe.filter(isPattern).map(p => p.replace(/[^a-zA-Z0-9._*#-]/g, '_'));
    if (patterns.length === 0) return [];
    const topics = await this.clients.listTopics();
    return topics.filter(t => t.startsWith(EVENT_PREFIX) && patterns.some(p => matchTopic(p, t.slice(EVENT_PREFIX.length))));
  }

  /** Finds topics created later that match a pattern, every `topicRefreshInterval` ms. */
  private watchTopics(events: GroupReader): void {
    const tick = (): void => {
      this.refresh = setTimeout(() => {
        this.matchingTopics()
          .then(topics => events.setTopics(topics))
          .catch(error => this.report(asError(error)))
          .finally(() => {
            if (!this.closing && this.deliver) tick();
          });
      }, this.options.topicRefreshInterval);
    };
    tick();
  }

  private async stopReading(): Promise<void> {
    clearTimeout(this.refresh);
    await Promise.all(this.readers.map(reader => reader.stop()));
  }

  /** `topic` or a reply address `topic#call`. */
  private static topicOf(channel: string): string {
    const at = channel.indexOf('#');
    return at < 0 ? channel : channel.slice(0, at);
  }

  /** A request on `channel`; the reply routing travels in headers, so the body needs no `reframe`. */
  async sendMessage(channel: string, message: TransportMessage, options?: SendOptions): Promise<TransportMessage> {
    const timeout = options?.timeout ?? this.options.timeout;
    this.reply ??= new ReplyTopic(this.clients, this.options, error => this.report(error));
    const reply = this.reply;
    await reply.open();
    const call = reply.register(message.type, timeout, channel);
    const request: TransportMessage = { ...message, replyTo: call.replyTo, correlationId: message.correlationId ?? randomUUID() };
    this.produce(channel, request).catch(error => reply.pending.reject(call.callId, error));
    return call.reply;
  }

  private async produce(channel: string, message: TransportMessage, extra?: Record<string, string>, value?: Buffer): Promise<void> {
    await this.clients.produce([{ topic: KafkaConnection.topicOf(channel), key: message.key, value: value ?? toBytes(message.data), headers: toHeaders(message, extra) }]);
  }

  async emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    await this.produce(channel, message);
    return true;
  }

  async publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    await this.produce(eventTopic(topic), message);
    return true;
  }

  ackMessage(message: TransportMessage | undefined): void {
    const raw = message?.raw as KafkaRaw | undefined;
    raw?.reader?.settle(raw);
  }

  async nackMessage(message: TransportMessage | undefined, resend = false): Promise<void> {
    if (!message?.raw) return;
    if (resend) return this.redeliver(message, 0, message.attempt ?? 1);
    return this.deadLetterMessage(message, { reason: 'rejected', attempts: message.attempt ?? 1 });
  }

  private redeliver(message: TransportMessage, delay: number, attempt: number): Promise<void> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.deliver?.({ ...message, attempt });
    }, delay);
    this.timers.add(timer);
    return Promise.resolve();
  }

  /** Produces the original bytes and headers plus the error headers to `<topic>.dead-letter`, then settles the message. */
  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    await this.deadLetters.send(message, info);
    const raw = message.raw as KafkaRaw | undefined;
    raw?.reader?.settle(raw);
  }

  /** Stops consuming, commits what settled, leaves the groups, deletes the reply topic, closes the clients. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      clearTimeout(this.refresh);
      this.deliver = undefined;
      await Promise.allSettled(this.readers.map(reader => reader.close()));
      await settleWithin(this.reply?.close(), CLOSE_WAIT * 3);
      await this.clients.close();
      this.status$.next(ConnectionStatus.CLOSED);
      this.status$.complete();
      this.error$.complete();
      this.close$.next();
      this.close$.complete();
    })();
    return this.closing;
  }
}
