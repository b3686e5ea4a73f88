import { InFlightMessages } from '@tributary/messaging/transport';
import type { DeadLetterInfo } from '@tributary/messaging';
import type { SendOptions, TransportMessage } from '@tributary/messaging/transport';
import { CLOSE_WAIT } from '../TransportMode';
import { orUnavailable, publishTo, settleWithin } from '../clients';
import type { ModeContext, TransportMode } from '../TransportMode';
import { toBytes, withReplyAddress } from '../envelope';
import { deadLetterFields, xaddArgs } from '../deadLetterFields';
import { escapeGlob, globOf, isWildcard, ownerOf } from '../topicPatterns';
import { Timers } from '../Timers';

const returnTrue = (): true => true;
const SETTLED: Promise<void> = Promise.resolve();

/** How many messages wait between connect and the subscription of `message$` (more are dropped). */
const EARLY_LIMIT = 10_000;

/** `raw` of a pub/sub delivery: the channel it came from. */
export interface PubSubRaw {
  readonly mode: 'pubsub';
  readonly channel: string;
}

/**
 * pubsub mode, at-most-once (Marble.js's model): `emit` and `send` `PUBLISH` to the service
 * channel, `publish` to `topic:<type>`, which subscribed services `SUBSCRIBE` (exact types)
 * or `PSUBSCRIBE` (patterns). Nothing is stored: a message nobody listens to, or one in
 * flight when a connection drops, is gone. Retries are re-dispatched in this process after
 * their delay (lost if it stops first); dead letters go to the `<channel>:dead-letter` stream.
 */
export class PubSubMode implements TransportMode {
  private readonly inFlight = new InFlightMessages<PubSubRaw>();
  private readonly timers = new Timers();
  private deliver?: (message: TransportMessage) => void;
  private channels: string[] = [];
  private globs: string[] = [];
  private stopping: Promise<void> = Promise.resolve();
  private listening = false;
  private early: Array<[TransportMessage, string]> = [];

  constructor(private readonly ctx: ModeContext) {}

  /**
   * A consumer subscribes while connecting, as Marble.js did: once `connect` resolves, what is
   * published reaches it. Messages arriving before `message$` is subscribed wait in `early`.
   */
  async setup(isConsumer: boolean): Promise<void> {
    const { timeout, address } = this.ctx.options;
    if (isConsumer) await orUnavailable(this.listen(), timeout, address);
  }

  async start(deliver: (message: TransportMessage) => void): Promise<void> {
    this.deliver = deliver;
    const early = this.early;
    this.early = [];
    for (const [message, channel] of early) this.dispatch(message, channel);
    if (!this.listening) await this.listen();
  }

  private async listen(): Promise<void> {
    const { keys, subscribe } = this.ctx.options;
    this.listening = true;
    const exact = subscribe.filter(pattern => !isWildcard(pattern));
    const wildcard = subscribe.filter(isWildcard);
    const topicGlob = escapeGlob(keys.topic(''));
    const channels = [keys.channel, ...exact.map(keys.topic)];
    const globs = [...new Set(wildcard.map(pattern => topicGlob + globOf(pattern)))];
    this.channels = channels;
    this.globs = globs;
    // a type several subscriptions match arrives through each: only its first subscription takes it
    const accepts = (channel: string, glob?: string): boolean => {
      const type = keys.topicOf(channel);
      if (type === undefined) return channel === keys.channel && glob === undefined;
      const owner = ownerOf(subscribe, type);
      if (owner === undefined) return false;
      return glob === undefined ? owner === type && !isWildcard(owner) : isWildcard(owner) && topicGlob + globOf(owner) === glob;
    };
    const onMessage = (data: Buffer, channel: string, glob?: string): void => {
      if (!accepts(channel, glob)) return;
      if (this.deliver) this.dispatch({ data, attempt: 1 }, channel);
      else if (this.listening && this.early.length < EARLY_LIMIT) this.early.push([{ data, attempt: 1 }, channel]);
    };
    await this.ctx.subscriber.subscribe(channels, onMessage);
    // stopped while subscribing: stop() unsubscribed the channels, the patterns are left to do
    if (this.channels === channels && globs.length) await this.ctx.subscriber.psubscribe(globs, onMessage);
  }

  private dispatch(message: TransportMessage, channel: string): void {
    if (!this.deliver) return;
    const raw: PubSubRaw = { mode: 'pubsub', channel };
    // not `{ ...message, raw }`: V8 builds spread copies with new keys on its slow path
    const delivered: TransportMessage = Object.assign({}, message);
    delivered.raw = raw;
    this.inFlight.add(raw, raw);
    this.deliver(delivered);
  }

  /** Unsubscribes; every call returns a promise of all stops so far (close waits for one begun by an unsubscribe). */
  stop(): Promise<void> {
    this.deliver = undefined;
    this.listening = false;
    this.early = [];
    const channels = this.channels;
    const globs = this.globs;
    this.channels = [];
    this.globs = [];
    this.stopping = Promise.all([this.stopping, this.ctx.subscriber.unsubscribe(channels, globs).catch(error => this.ctx.report(error))]).then(() => undefined);
    return this.stopping;
  }

  // plain promise chains, not async functions: emit, request and ack are on the hot path
  emit(channel: string, message: TransportMessage): Promise<boolean> {
    const { keys } = this.ctx.options;
    const target = keys.replyChannelOf(channel) ?? keys.stream(channel);
    let data: Buffer;
    try {
      data = toBytes(message.data);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.ctx.withinTimeout(() => publishTo(this.ctx.command, keys.sharded(target), target, data)).then(returnTrue);
  }

  async publish(topic: string, message: TransportMessage): Promise<boolean> {
    const target = this.ctx.options.keys.topic(topic);
    await this.ctx.withinTimeout(() => this.ctx.command.publish(target, toBytes(message.data)));
    return true;
  }

  request(channel: string, message: TransportMessage, replyTo: string, correlationId: string, reframe?: SendOptions['reframe']): Promise<unknown> {
    // the messaging layer frames the envelope with the reply address; a raw caller's bytes are rewritten
    let data: unknown;
    try {
      data = reframe ? reframe({ replyTo, correlationId }) : withReplyAddress(message.data, replyTo, correlationId);
    } catch (error) {
      return Promise.reject(error); // (oversize, unencodable): the call fails, as from an async function
    }
    return this.emit(channel, { data });
  }

  ack(message: TransportMessage | undefined): Promise<void> {
    this.inFlight.take(message);
    return SETTLED;
  }

  async nack(message: TransportMessage | undefined, resend: boolean): Promise<void> {
    if (!message) return;
    if (resend) {
      const raw = this.inFlight.take(message);
      if (raw) this.timers.later(0, () => this.dispatch({ ...message, raw: undefined }, raw.channel));
      return;
    }
    await this.deadLetter(message, { reason: 'rejected', attempts: message.attempt ?? 1 });
  }

  async retry(message: TransportMessage, retry: { delay: number; attempt: number }): Promise<void> {
    const raw = this.inFlight.take(message);
    if (raw) this.timers.later(retry.delay, () => this.dispatch({ ...message, raw: undefined, attempt: retry.attempt }, raw.channel));
  }

  async deadLetter(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const raw = this.inFlight.take(message);
    if (!raw) return;
    const { deadLetter } = this.ctx.options;
    if (!deadLetter) {
      this.ctx.report(new Error(`Dead letter dropped (deadLetter: false) from "${raw.channel}": ${info.reason}`));
      return;
    }
    const fields = deadLetterFields(message, info, { source: raw.channel });
    await this.inFlight.settle(this.ctx.command.call('XADD', xaddArgs(deadLetter.stream, deadLetter.maxLen, fields)));
  }

  /** Stops everything; each wait is bounded, Redis may be down. */
  async close(): Promise<void> {
    const wait = Math.min(this.ctx.options.timeout, CLOSE_WAIT);
    this.timers.clear();
    await settleWithin(this.stop(), wait);
    await this.inFlight.drain(wait);
    this.inFlight.clear();
  }
}
