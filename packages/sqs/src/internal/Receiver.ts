import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { reconnectDelay } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import { fromWire } from './attributes';
import type { InFlight } from './InFlight';
import { isTransient, sleep } from './Link';
import type { Link } from './Link';
import type { ResolvedSqsOptions } from './resolveOptions';

/** What the receiver does with what it receives. */
export interface ReceiverHooks {
  /** Hands a message over (it is held in flight until settled). */
  deliver(message: TransportMessage): void;
  /** Whether to take the message at all (false: it is deleted unseen, e.g. a publication not subscribed to). */
  accept(raw: Message): boolean;
  /** Settles a message that is not taken: deleted, or given back at once. */
  discard(url: string, raw: Message, giveBack: boolean): void;
  /** The queue vanished: make it again. */
  recreate(): Promise<string>;
}

const isMissingQueue = (error: unknown): boolean => /QueueDoesNotExist|NonExistentQueue/.test((error as { name?: string })?.name ?? '');

/**
 * The receive loop of the service queue: long polls of up to ten messages, never more held
 * in flight than `prefetch`; backs off on failures (reported on `status$`); stops at once on
 * `stop` (no new poll; what the poll under way still brings is given back).
 */
export class Receiver {
  /** Aborts the poll under way (only when it outlasts its wait: see `stop`). */
  private readonly abort = new AbortController();
  /** Set on `stop`: no new poll, backoff sleeps end. */
  private readonly stopping = new AbortController();
  private done?: Promise<void>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly link: Link,
    private readonly options: ResolvedSqsOptions,
    private url: string,
    private readonly inflight: InFlight,
    private readonly hooks: ReceiverHooks,
  ) {}

  start(): void {
    this.done ??= this.loop();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async loop(): Promise<void> {
    const { options } = this;
    let failures = 0;
    while (!this.stopped) {
      await this.inflight.below(options.prefetch);
      if (this.stopped) break;
      const room = Math.max(1, Math.min(10, options.prefetch - this.inflight.size));
      let messages: Message[];
      try {
        const result = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.url,
            MaxNumberOfMessages: room,
            WaitTimeSeconds: options.waitTimeSeconds,
            VisibilityTimeout: options.visibilityTimeout,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          }),
          { abortSignal: this.abort.signal },
        );
        messages = result.Messages ?? [];
        failures = 0;
        this.link.ok();
      } catch (error) {
        if (this.stopped) break;
        if (isTransient(error)) this.link.down(error);
        else this.link.report(error);
        if (isMissingQueue(error)) this.url = await this.hooks.recreate().catch(() => this.url);
        await sleep(reconnectDelay(++failures, options.reconnect), this.stopping.signal);
        continue;
      }
      for (const raw of messages) this.take(raw);
    }
  }

  private take(raw: Message): void {
    if (!raw.ReceiptHandle) return;
    if (this.stopped) return this.hooks.discard(this.url, raw, true);
    if (!this.hooks.accept(raw)) return this.hooks.discard(this.url, raw, false);
    const message = fromWire(raw);
    this.inflight.add(raw, { url: this.url, receiptHandle: raw.ReceiptHandle, message, extendedAt: Date.now() });
    this.hooks.deliver(message);
  }

  /**
   * Stops receiving; resolves once the loop has ended. The poll under way is let finish (it
   * waits `waitTimeSeconds` at most) and what it brings is given back at once: an aborted
   * poll would go on in SQS and hide the next message for a visibility timeout, counting a
   * receive nobody handled. Aborted only if it outlasts its wait by two seconds.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.inflight.wake();
    const bound = setTimeout(() => this.abort.abort(), (this.options.waitTimeSeconds + 2) * 1000);
    await this.done;
    clearTimeout(bound);
  }
}
