import type { IPublishPacket, MqttClient } from 'mqtt';
import { BehaviorSubject, distinctUntilChanged, Observable, Subject } from 'rxjs';
import { ConnectionStatus, matchTopic, Transport } from '@tributary/messaging/transport';
import type { DeadLetterInfo, TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { MqttNoSubscribersError, MqttSessionTakenOverError } from '../errors';
import { connected, endClient, openClient, sendPuback } from './clients';
import { DeadLetters } from './DeadLetters';
import { Handoff } from './Handoff';
import { ACCEPTED, Held, Inbox, REJECTED } from './Inbox';
import { fromPacket } from './properties';
import { Publisher } from './Publisher';
import { isReplyTopic, ReplyChannel } from './ReplyChannel';
import type { ResolvedMqttOptions } from './resolveOptions';

/** DISCONNECT reason "Session taken over". */
const TAKEN_OVER = 0x8e;
/** How long `close` waits for dead letters under way and for the DISCONNECT, ms. */
const CLOSE_WAIT = 5_000;

/** The MQTT connection of one service or client, as the messaging SPI sees it (see docs/transports/mqtt.md). */
export class MqttConnection implements TransportLayerConnection<Transport.MQTT> {
  readonly type = Transport.MQTT;
  readonly config: { channel: string; timeout: number; readonly raw: MqttClient };
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<ConnectionStatus>;
  readonly error$ = new Subject<Error>();
  readonly close$ = new Subject<void>();
  readonly clientId: string;
  private readonly status = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.DISCONNECTED);
  private readonly client: MqttClient;
  private readonly inbox: Inbox;
  private readonly replies: ReplyChannel;
  private readonly deadLetters?: DeadLetters;
  private readonly publisher: Publisher;
  private readonly handoff = new Handoff();
  private closing?: Promise<void>;

  constructor(
    private readonly options: ResolvedMqttOptions,
    private readonly isConsumer: boolean,
  ) {
    this.clientId = options.clientId;
    // a client's session only bridges outages (replies sent meanwhile): fresh at first, resumed after
    const session = isConsumer
      ? { clientId: this.clientId, clean: false, sessionExpiry: options.sessionExpiry, receiveMaximum: options.receiveMaximum, reconnect: true }
      : { clientId: this.clientId, clean: true, sessionExpiry: Math.ceil(options.timeout / 1000), receiveMaximum: options.receiveMaximum, reconnect: true };
    this.client = openClient(options, session, packet => this.receive(packet));
    this.publisher = new Publisher(this.client, options.qos, options.timeout, options.host, options.channel);
    this.inbox = new Inbox((packetId, code) => sendPuback(this.client, packetId, code));
    this.replies = new ReplyChannel(options.channel, topic => this.client.subscribeAsync(topic, { qos: options.qos }).then(() => undefined));
    if (isConsumer && options.deadLetter) this.deadLetters = new DeadLetters(options, options.deadLetter);
    this.watch();
    this.status$ = this.status.pipe(distinctUntilChanged());
    const client = this.client;
    this.config = {
      channel: options.channel,
      timeout: options.timeout,
      get raw() {
        return client;
      },
    };
    this.message$ = this.handoff.message$;
  }

  private watch(): void {
    this.client.on('connect', connack => {
      this.inbox.connected(connack.sessionPresent);
      this.client.options.clean = false;
      this.status.next(ConnectionStatus.CONNECTED);
    });
    this.client.on('close', () => this.closing || this.status.next(ConnectionStatus.DISCONNECTED));
    this.client.on('reconnect', () => this.closing || this.status.next(ConnectionStatus.RECONNECTING));
    this.client.on('error', error => this.report(error));
    this.client.on('disconnect', packet => packet.reasonCode === TAKEN_OVER && this.report(new MqttSessionTakenOverError(this.clientId)));
  }

  /** Connects (waiting `timeout` ms at most) and, for a service, subscribes its shared subscriptions and the dead-letter session. */
  async start(): Promise<this> {
    try {
      await connected(this.client, this.options.timeout, this.options.host);
      if (this.isConsumer) {
        const { topics, subscribe, qos } = this.options;
        await this.client.subscribeAsync([topics.serviceFilter, ...subscribe.map(pattern => topics.filter(pattern))], { qos });
        await this.deadLetters?.ensure();
      }
    } catch (error) {
      await this.close();
      throw error;
    }
    return this;
  }

  getChannel(): string {
    return this.options.channel;
  }

  private report(error: Error): void {
    if (!this.closing) this.error$.next(error);
  }

  /** Every incoming PUBLISH (QoS 1: its PUBACK waits for the settlement). */
  private receive(packet: IPublishPacket): void {
    let held: Held | undefined;
    if (packet.qos > 0) {
      held = this.inbox.receive(packet);
      if (!held) return; // a redelivery of a message this client still has
    }
    const message = fromPacket(packet, held);
    if (isReplyTopic(packet.topic)) {
      this.replies.receive(message);
      if (held) this.inbox.settle(held);
      return;
    }
    if (!this.isConsumer || !this.wanted(packet.topic, message)) {
      if (held) this.inbox.settle(held);
      return;
    }
    if (held && packet.dup) return this.recount(held, message);
    this.handoff.deliver(message);
  }

  /**
   * A redelivery (DUP) of a message this process never saw: an earlier delivery was not settled
   * (its consumer died or lost the connection). MQTT carries no delivery count, so the message
   * goes back to the service topic as a copy counting that attempt (`x-attempt`), and the
   * original is acknowledged: a message that keeps killing its consumers reaches
   * `retry.maxAttempts` and is dead-lettered instead of crashing them forever.
   */
  private recount(held: Held, message: TransportMessage): void {
    const copy = { ...message, attempt: message.attempt, raw: undefined };
    void this.publisher.track(
      this.publisher.publish(this.options.topics.service, copy).then(
        // never dropped by the broker: this session subscribes to the service topic (else the original stays)
        outcome => void (outcome === 'taken' && this.inbox.settle(held)),
        error => this.report(error instanceof Error ? error : new Error(String(error))),
      ),
    );
  }

  /** Publish-tree messages only when a current `subscribe` pattern matches (a resumed session may hold older filters). */
  private wanted(topic: string, message: TransportMessage): boolean {
    if (topic === this.options.topics.service) return true;
    const type = message.type ?? topic.slice(topic.indexOf('/') + 1).split('/').join('.');
    return this.options.subscribe.some(pattern => matchTopic(pattern, type));
  }

  private held(message: TransportMessage | undefined): Held | undefined {
    const held = message?.raw as Held | undefined;
    return held && typeof held === 'object' && this.inbox.isOpen(held) ? held : undefined;
  }

  async sendMessage(channel: string, message: TransportMessage, options?: { timeout?: number }): Promise<TransportMessage> {
    const timeout = options?.timeout ?? this.options.timeout;
    await this.replies.open();
    const call = this.replies.register(message.correlationId, message.type, timeout, channel);
    this.publisher.publish(channel, { ...message, correlationId: call.correlationId, replyTo: this.replies.topic }).then(
      outcome => outcome === 'no-subscribers' && this.replies.reject(call.correlationId, new MqttNoSubscribersError(channel)),
      error => this.replies.reject(call.correlationId, error as Error),
    );
    return call.reply;
  }

  async emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    const reply = isReplyTopic(channel);
    // a reply carries no response topic of its own (it goes to the caller's, nobody answers a reply)
    const outcome = await this.publisher.publish(channel, reply && message.replyTo !== undefined ? { ...message, replyTo: undefined } : message);
    if (outcome === 'taken') return true;
    // a reply whose caller is gone is dropped: nothing to do
    if (reply) return false;
    throw new MqttNoSubscribersError(channel);
  }

  async publishMessage(topic: string, message: TransportMessage): Promise<boolean> {
    // nobody subscribed to a type is not an error in publish/subscribe
    await this.publisher.publish(this.options.topics.event(topic), message);
    return true;
  }

  ackMessage(message: TransportMessage | undefined): void {
    const held = this.held(message);
    if (held) this.inbox.settle(held, ACCEPTED);
  }

  /** `resend`: delivered again at once in this process (MQTT cannot requeue); otherwise acknowledged as rejected. */
  nackMessage(message: TransportMessage | undefined, resend = false): void {
    const held = this.held(message);
    if (!held) return;
    if (resend) this.redeliver(message!, (message!.attempt ?? 1) + 1);
    else this.inbox.settle(held, REJECTED);
  }

  // no retryMessage: MQTT cannot delay a message, so the delivery machine retries in process
  // while the message stays unacknowledged (its PUBACK held)

  private redeliver(message: TransportMessage, attempt: number): void {
    if (this.closing || !this.held(message)) return;
    this.handoff.deliver({ ...message, attempt });
  }

  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const held = this.held(message);
    if (!held) return;
    if (this.deadLetters) {
      // not acknowledged when this fails: the broker delivers it again
      await this.publisher.track(this.deadLetters.publish(this.publisher, message, info, held.topic));
    } else {
      this.report(new Error(`[${this.options.channel}] a message was dropped (${info.reason}, ${info.attempts} attempt(s)): dead letters are off`));
    }
    this.inbox.settle(held, ACCEPTED);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.handoff.stop();
    this.replies.close();
    await this.publisher.drain(CLOSE_WAIT);
    await endClient(this.client, Math.min(this.options.timeout, CLOSE_WAIT));
    this.inbox.clear();
    this.status.next(ConnectionStatus.CLOSED);
    this.status.complete();
    this.close$.next();
    this.close$.complete();
    this.error$.complete();
  }
}
