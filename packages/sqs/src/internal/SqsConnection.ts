import { randomUUID } from 'node:crypto';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { distinctUntilChanged, Observable, Subject } from 'rxjs';
import type { EncodedError } from '@tributary/core';
import { ConnectionClosedError, Transport } from '@tributary/messaging';
import { matchTopic } from '@tributary/messaging/transport';
import type { ConnectionStatus, DeadLetterInfo, TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { SqsPublishNotConfiguredError, SqsQueueNotFoundError } from '../errors';
import { ATTRIBUTE, isPublished, toWire } from './attributes';
import { Batcher } from './Batcher';
import { createSqsClient } from './clients';
import { fifoIds } from './fifo';
import { InFlight } from './InFlight';
import { isTransient, Link } from './Link';
import { Queues } from './Queues';
import { Receiver } from './Receiver';
import { REPLY_PREFIX, ReplyQueue, replyQueueOf } from './ReplyQueue';
import type { ResolvedSqsOptions } from './resolveOptions';
import { Settlements } from './Settlements';
import { Sns } from './Sns';

/** How often an idle connection checks that SQS answers (so that `status$` and health follow an outage), ms. */
const PROBE_EVERY = 3_000;

/** Bodies up to this size are sent in batches (SendMessageBatch caps the whole batch). */
const BATCHABLE = 16 * 1024;
type Entry = { body: string; attributes: ReturnType<typeof toWire>['attributes']; ids: ReturnType<typeof fifoIds> };

/** The SQS connection of one service or client, as the messaging SPI sees it. */
export class SqsConnection implements TransportLayerConnection<Transport.SQS> {
  readonly type = Transport.SQS;
  readonly config: { channel: string; timeout: number; readonly raw: SQSClient };
  readonly message$: Observable<TransportMessage>;
  readonly status$: Observable<ConnectionStatus>;
  readonly error$: Observable<Error>;
  readonly close$ = new Subject<void>();
  private readonly sqs: SQSClient;
  private readonly link: Link;
  private readonly queues: Queues;
  private readonly inflight = new InFlight();
  private readonly settlements: Settlements;
  private readonly sends: Batcher<Entry>;
  private readonly sns?: Sns;
  private readonly receivers = new Set<Promise<void>>();
  private replies?: ReplyQueue;
  private serviceUrl?: Promise<string>;
  private deadLetterUrl?: Promise<string | undefined>;
  private closing?: Promise<void>;
  private probe?: NodeJS.Timeout;

  private constructor(private readonly options: ResolvedSqsOptions) {
    this.sqs = createSqsClient(options);
    this.link = new Link(options);
    this.status$ = this.link.status$.pipe(distinctUntilChanged());
    this.error$ = this.link.error$.asObservable();
    this.queues = new Queues(this.sqs, this.link, options);
    this.settlements = new Settlements(this.sqs, this.link, options, this.inflight, () => this.deadLetterUrl ?? this.openDeadLetter());
    this.sends = new Batcher<Entry>((url, entries) => this.sendBatch(url, entries), 0);
    if (options.sns) this.sns = new Sns(this.link, options, options.sns);
    const sqs = this.sqs;
    this.config = {
      channel: options.channel,
      timeout: options.timeout,
      get raw() {
        return sqs;
      },
    };
    this.message$ = new Observable<TransportMessage>(subscriber => {
      if (this.closing) {
        subscriber.complete();
        return undefined;
      }
      let receiver: Receiver | undefined;
      let stopped = false;
      this.service().then(
        url => {
          if (stopped) return;
          receiver = new Receiver(this.sqs, this.link, options, url, this.inflight, {
            deliver: message => subscriber.next(message),
            accept: raw => this.accept(raw),
            discard: (at, raw, giveBack) => this.discard(at, raw, giveBack),
            recreate: () => (this.serviceUrl = this.openService()),
          });
          receiver.start();
          this.settlements.startHeartbeat();
        },
        error => subscriber.error(error),
      );
      return () => {
        stopped = true;
        if (!receiver) return;
        const done = receiver.stop();
        this.receivers.add(done);
        void done.finally(() => this.receivers.delete(done));
      };
    });
  }

  /** Creates what the service or client needs (retrying up to `timeout` while SQS is unreachable). */
  static async open(options: ResolvedSqsOptions, isConsumer: boolean): Promise<SqsConnection> {
    const connection = new SqsConnection(options);
    try {
      if (isConsumer) {
        if (options.subscribe.length > 0 && !connection.sns) throw new SqsPublishNotConfiguredError(options.channel);
        const url = await connection.service();
        if (options.subscribe.length > 0) await connection.sns!.subscribe(connection.queues, url, options.subscribe);
      } else {
        // the target queue exists before its service first starts, so nothing emitted meanwhile is lost
        await connection.queues.ensure(options.queue);
      }
      connection.startProbe();
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /**
   * HTTP has no connection to watch: when nothing succeeded for a while (a client with no
   * traffic), one cheap request tells whether SQS answers, for `status$`.
   */
  private startProbe(): void {
    this.probe = setInterval(() => {
      if (this.probing || Date.now() - this.link.lastOk < PROBE_EVERY) return;
      this.probing = true;
      this.sqs
        .send(new GetQueueUrlCommand({ QueueName: this.options.queue }), { abortSignal: this.link.signal })
        .then(
          () => this.link.ok(),
          error => (isTransient(error) ? this.link.down(error) : this.link.ok()),
        )
        .finally(() => (this.probing = false));
    }, PROBE_EVERY / 3);
    this.probe.unref();
  }

  private probing = false;

  getChannel(): string {
    return this.options.channel;
  }

  private service(): Promise<string> {
    this.serviceUrl ??= this.openService();
    return this.serviceUrl;
  }

  private async openService(): Promise<string> {
    const { url, deadLetterUrl } = await this.queues.service();
    this.deadLetterUrl = Promise.resolve(deadLetterUrl);
    return url;
  }

  private openDeadLetter(): Promise<string | undefined> {
    const name = this.options.deadLetter;
    this.deadLetterUrl = name === false ? Promise.resolve(undefined) : this.queues.ensure(name);
    return this.deadLetterUrl;
  }

  /** A publication is taken only when its type matches a `subscribe` pattern (SNS filters by prefix only). */
  private accept(raw: Message): boolean {
    if (!isPublished(raw)) return true;
    const type = raw.MessageAttributes?.[ATTRIBUTE.type]?.StringValue ?? '';
    return this.options.subscribe.some(pattern => matchTopic(pattern, type));
  }

  private discard(url: string, raw: Message, giveBack: boolean): void {
    const command = giveBack
      ? new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: raw.ReceiptHandle, VisibilityTimeout: 0 })
      : new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: raw.ReceiptHandle });
    this.link.call(signal => this.sqs.send(command as DeleteMessageCommand, { abortSignal: signal })).catch(error => this.link.report(error));
  }

  /** The queue a channel names: reply addresses as they are, others with `.fifo` on FIFO. */
  private target(channel: string): string {
    if (channel.startsWith(REPLY_PREFIX)) return replyQueueOf(channel);
    return this.options.fifo && !channel.endsWith('.fifo') ? `${channel}.fifo` : channel;
  }

  async emitMessage(channel: string, message: TransportMessage): Promise<boolean> {
    if (this.closing) throw new ConnectionClosedError(this.options.channel);
    const name = this.target(channel);
    let url: string;
    try {
      url = await this.queues.url(name);
    } catch (error) {
      // a reply whose caller is gone (its queue deleted) is dropped
      if (error instanceof SqsQueueNotFoundError && name.startsWith(REPLY_PREFIX)) return false;
      throw error;
    }
    const { body, attributes } = toWire(message);
    const entry: Entry = { body, attributes, ids: fifoIds(message, name.endsWith('.fifo')) };
    if (body.length > BATCHABLE) {
      await this.link.call(signal =>
        this.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: attributes, ...entry.ids }), { abortSignal: signal }),
      );
    } else await this.sends.add(url, entry);
    return true;
  }

  private async sendBatch(url: string, entries: Entry[]): Promise<Array<Error | undefined>> {
    const ids = entries.map((_, i) => String(i));
    const result = await this.link.call(signal =>
      this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: entries.map((entry, i) => ({ Id: ids[i], MessageBody: entry.body, MessageAttributes: entry.attributes, ...entry.ids })),
        }),
        { abortSignal: signal },
      ),
    );
    const failed = new Map((result.Failed ?? []).map(f => [f.Id, new Error(`SQS refused the message (${f.Code ?? 'error'}): ${f.Message ?? ''}`)]));
    return ids.map(id => failed.get(id));
  }

  async sendMessage(channel: string, message: TransportMessage, options?: { timeout?: number }): Promise<TransportMessage> {
    if (this.closing) throw new ConnectionClosedError(this.options.channel);
    const timeout = options?.timeout ?? this.options.timeout;
    this.replies ??= new ReplyQueue(this.sqs, this.link, this.queues, this.options, (url, handle) => void this.settlements.delete(url, handle).catch(() => undefined));
    const replies = this.replies;
    await replies.open();
    const correlationId = message.correlationId ?? randomUUID();
    const call = replies.register(correlationId, message.type, timeout, channel);
    this.emitMessage(channel, { ...message, correlationId, replyTo: call.replyTo }).catch(error => replies.reject(call.replyTo, error));
    return call.reply;
  }

  async publishMessage(_topic: string, message: TransportMessage): Promise<boolean> {
    if (this.closing) throw new ConnectionClosedError(this.options.channel);
    if (!this.sns) throw new SqsPublishNotConfiguredError(this.options.channel);
    await this.sns.publish(message);
    return true;
  }

  async ackMessage(message: TransportMessage | undefined): Promise<void> {
    const held = this.inflight.take(message);
    if (held) await this.settlements.delete(held.url, held.receiptHandle);
  }

  async nackMessage(message: TransportMessage | undefined, resend = false): Promise<void> {
    const held = this.inflight.take(message);
    if (!held) return;
    if (resend) await this.settlements.visibility(held, 0);
    else await this.settlements.deadLetter(held, { reason: 'rejected', attempts: held.message.attempt ?? 1 });
  }

  /** The message stays in the queue, invisible for `delay` (whole seconds, at least one: SQS's unit). */
  async retryMessage(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void> {
    const held = this.inflight.take(message);
    if (held) await this.settlements.visibility(held, Math.min(43_200, Math.max(1, Math.ceil(retry.delay / 1000))));
  }

  async deadLetterMessage(message: TransportMessage, info: DeadLetterInfo): Promise<void> {
    const held = this.inflight.take(message);
    if (held) await this.settlements.deadLetter(held, info);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.probe);
    const wait = Math.min(this.options.timeout, 5_000);
    await Promise.allSettled([...this.receivers]);
    await this.replies?.close(wait);
    await this.settlements.close(wait);
    // what nobody settled (a drain gave up) goes back at once, for another instance
    const left = this.inflight.takeAll();
    await Promise.race([Promise.allSettled(left.map(held => this.settlements.visibility(held, 0))), new Promise(resolve => setTimeout(resolve, wait).unref())]);
    this.link.close();
    this.sns?.close();
    this.sqs.destroy();
    this.close$.next();
    this.close$.complete();
  }
}
