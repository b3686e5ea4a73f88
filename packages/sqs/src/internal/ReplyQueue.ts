import { randomBytes } from 'node:crypto';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { PendingReplies, reconnectDelay } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import { fromWire } from './attributes';
import { isTransient, sleep } from './Link';
import type { Link } from './Link';
import type { Queues } from './Queues';
import type { ResolvedSqsOptions } from './resolveOptions';

/** Reply queues are named `tributary-reply-<random>`; a reply address is `<queue>#<call id>`. */
export const REPLY_PREFIX = 'tributary-reply-';

/** The queue name of a reply address (`<queue>#<call>`), or the name itself. */
export const replyQueueOf = (address: string): string => {
  const hash = address.indexOf('#');
  return hash < 0 ? address : address.slice(0, hash);
};

/**
 * Where the replies to one client's `send`s arrive: a standard queue of its own, created on
 * the first `send` and deleted on close, read by long polls. Each call's reply address is
 * `<queue>#<call id>`, sent back in the reply's `replyTo`, so calls sharing a correlationId
 * do not collide; a reply without it is matched by correlationId. A late reply is dropped.
 */
export class ReplyQueue {
  readonly name = `${REPLY_PREFIX}${randomBytes(8).toString('hex')}`;
  readonly pending: PendingReplies;
  private readonly byCorrelation = new Map<string, string>();
  private readonly abort = new AbortController();
  private calls = 0;
  private url?: Promise<string>;
  private loop?: Promise<void>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly link: Link,
    private readonly queues: Queues,
    private readonly options: ResolvedSqsOptions,
    private readonly remove: (url: string, receiptHandle: string) => void,
  ) {
    this.pending = new PendingReplies(options.channel);
  }

  /** Creates the queue and starts reading it, once; concurrent first calls share it. */
  open(): Promise<string> {
    if (!this.url) {
      // replies are worth nothing once their caller is gone: kept a minute at most
      this.url = this.queues.ensure(this.name, { MessageRetentionPeriod: '60' });
      this.url.then(
        url => (this.loop = this.read(url)),
        () => (this.url = undefined),
      );
    }
    return this.url;
  }

  register(correlationId: string, eventType: string | undefined, timeout: number, channel: string): { replyTo: string; reply: Promise<TransportMessage> } {
    const callId = String(++this.calls);
    this.byCorrelation.set(correlationId, callId);
    const forget = (): void => {
      if (this.byCorrelation.get(correlationId) === callId) this.byCorrelation.delete(correlationId);
    };
    const reply = this.pending.register(callId, eventType, timeout, channel);
    reply.then(forget, forget);
    return { replyTo: `${this.name}#${callId}`, reply };
  }

  reject(replyTo: string, error: Error): void {
    this.pending.reject(replyTo.slice(replyTo.lastIndexOf('#') + 1), error);
  }

  private async read(url: string): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const result = await this.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: this.options.waitTimeSeconds, MessageAttributeNames: ['All'] }),
          { abortSignal: this.abort.signal },
        );
        failures = 0;
        this.link.ok();
        for (const raw of result.Messages ?? []) {
          if (raw.ReceiptHandle) this.remove(url, raw.ReceiptHandle);
          const message = fromWire(raw);
          const { replyTo, correlationId } = message;
          const mine = replyTo?.startsWith(`${this.name}#`) ? replyTo.slice(this.name.length + 1) : undefined;
          const callId = mine ?? (correlationId === undefined ? undefined : this.byCorrelation.get(correlationId));
          this.pending.resolve(callId, message);
        }
      } catch (error) {
        if (this.abort.signal.aborted) break;
        if (isTransient(error)) this.link.down(error);
        else this.link.report(error);
        await sleep(reconnectDelay(++failures, this.options.reconnect), this.abort.signal);
      }
    }
  }

  /** Fails waiting calls, stops reading and deletes the queue (bounded: SQS may be down). */
  async close(timeout: number): Promise<void> {
    this.pending.rejectAll();
    this.byCorrelation.clear();
    this.abort.abort();
    await this.loop;
    const url = await this.url?.catch(() => undefined);
    if (url) await this.queues.delete(url, timeout).catch(error => this.link.report(error));
  }
}
