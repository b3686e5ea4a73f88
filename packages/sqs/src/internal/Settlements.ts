import { ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterInfo } from '@tributary/messaging/transport';
import { ATTRIBUTE, text } from './attributes';
import type { Attributes } from './attributes';
import { Batcher } from './Batcher';
import { fifoIds } from './fifo';
import type { Held, InFlight } from './InFlight';
import type { Link } from './Link';
import type { ResolvedSqsOptions } from './resolveOptions';

/** SQS takes ten message attributes at most. */
const MAX_ATTRIBUTES = 10;
const DEAD_LETTER_ATTRIBUTES = new Set<string>([ATTRIBUTE.errorName, ATTRIBUTE.errorMessage, ATTRIBUTE.attempts, ATTRIBUTE.reason, ATTRIBUTE.originalQueue]);

const firstError = (failed: Array<{ Id?: string; Message?: string; Code?: string }> | undefined, ids: string[]): Array<Error | undefined> => {
  const byId = new Map((failed ?? []).map(f => [f.Id, new Error(`${f.Code ?? 'Failed'}: ${f.Message ?? 'the batch entry failed'}`)]));
  return ids.map(id => byId.get(id));
};

/**
 * Carries settlements out on SQS: delete (batched per queue: `DeleteMessageBatch` after a short
 * window), visibility changes (retry delay, give back, heartbeat extension) and dead letters
 * (sent to the dead-letter queue with the error attributes, one after another so their order
 * is kept, then deleted). `close` waits for everything under way.
 */
export class Settlements {
  private readonly deletes: Batcher<string>;
  private readonly running = new Set<Promise<unknown>>();
  private deadLetters: Promise<unknown> = Promise.resolve();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly sqs: SQSClient,
    private readonly link: Link,
    private readonly options: ResolvedSqsOptions,
    private readonly inflight: InFlight,
    private readonly deadLetterUrl: () => Promise<string | undefined>,
  ) {
    this.deletes = new Batcher<string>((url, handles) => this.deleteBatch(url, handles), 5);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = (): void => void this.running.delete(work);
    work.then(done, done);
    return work;
  }

  delete(url: string, receiptHandle: string): Promise<void> {
    return this.track(this.deletes.add(url, receiptHandle));
  }

  private async deleteBatch(url: string, handles: string[]): Promise<Array<Error | undefined>> {
    const ids = handles.map((_, i) => String(i));
    const result = await this.link.call(signal =>
      this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: handles.map((handle, i) => ({ Id: ids[i], ReceiptHandle: handle })) }), {
        abortSignal: signal,
      }),
    );
    return firstError(result.Failed, ids);
  }

  /** Makes a held message visible again after `seconds` (0: at once), after any extension under way. */
  visibility(held: Held, seconds: number): Promise<void> {
    return this.track(
      (async () => {
        await held.extending?.catch(() => undefined);
        await this.link.call(signal =>
          this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: held.url, ReceiptHandle: held.receiptHandle, VisibilityTimeout: seconds }), {
            abortSignal: signal,
          }),
        );
      })(),
    );
  }

  /** Sends a copy with the error attributes to the dead-letter queue (if any), then deletes the message. */
  deadLetter(held: Held, info: DeadLetterInfo): Promise<void> {
    const next = this.deadLetters.then(async () => {
      await held.extending?.catch(() => undefined);
      const url = await this.deadLetterUrl();
      if (url) await this.sendDeadLetter(url, held, info);
      await this.delete(held.url, held.receiptHandle);
    });
    this.deadLetters = next.catch(() => undefined);
    return this.track(next);
  }

  private async sendDeadLetter(url: string, held: Held, info: DeadLetterInfo): Promise<void> {
    const raw = held.message.raw as Message;
    const added: Attributes = {
      [ATTRIBUTE.reason]: text(info.reason),
      [ATTRIBUTE.attempts]: { DataType: 'Number', StringValue: String(info.attempts) },
      [ATTRIBUTE.originalQueue]: text(this.options.queue),
    };
    if (info.error?.name) added[ATTRIBUTE.errorName] = text(String(info.error.name));
    if (info.error?.message) added[ATTRIBUTE.errorMessage] = text(String(info.error.message));
    const attributes: Attributes = {};
    // the original attributes (ours come first), as many as SQS allows beside the error ones
    const room = MAX_ATTRIBUTES - Object.keys(added).length;
    for (const [name, value] of Object.entries(raw.MessageAttributes ?? {})) {
      if (Object.keys(attributes).length >= room) break;
      if (!DEAD_LETTER_ATTRIBUTES.has(name)) attributes[name] = value;
    }
    Object.assign(attributes, added);
    const ids = fifoIds({ ...held.message, messageId: held.message.messageId ?? raw.MessageId }, url.endsWith('.fifo'));
    await this.link.call(signal =>
      this.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: raw.Body ?? '', MessageAttributes: attributes, ...ids }), { abortSignal: signal }),
    );
  }

  /** Keeps held messages invisible while their effects run: every third of the visibility timeout. */
  startHeartbeat(): void {
    if (this.heartbeat) return;
    const period = Math.max(250, Math.floor((this.options.visibilityTimeout * 1000) / 3));
    // not unref'd: a service waiting on its held messages is alive (cleared on close)
    this.heartbeat = setInterval(() => this.extend(period), period);
  }

  private extend(period: number): void {
    const now = Date.now();
    const due = this.inflight.all().filter(held => !held.extending && now - held.extendedAt >= period * 0.9);
    const byUrl = new Map<string, Held[]>();
    for (const held of due) byUrl.set(held.url, [...(byUrl.get(held.url) ?? []), held]);
    for (const [url, list] of byUrl) {
      for (let i = 0; i < list.length; i += 10) {
        const chunk = list.slice(i, i + 10);
        const work = this.link
          .call(
            signal =>
              this.sqs.send(
                new ChangeMessageVisibilityBatchCommand({
                  QueueUrl: url,
                  Entries: chunk.map((held, n) => ({ Id: String(n), ReceiptHandle: held.receiptHandle, VisibilityTimeout: this.options.visibilityTimeout })),
                }),
                { abortSignal: signal },
              ),
            period,
          )
          .then(
            () => chunk.forEach(held => (held.extendedAt = now)),
            error => this.link.report(error),
          )
          .finally(() => chunk.forEach(held => (held.extending = undefined)));
        chunk.forEach(held => (held.extending = work));
      }
    }
  }

  /** Stops the heartbeat and waits (up to `ms`) for every settlement under way. */
  async close(ms: number): Promise<void> {
    clearInterval(this.heartbeat);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(resolve => (timer = setTimeout(resolve, ms)));
    const settled = (async () => {
      this.deletes.flush();
      while (this.running.size) await Promise.allSettled([...this.running]);
      await this.deletes.drain();
    })();
    await Promise.race([settled, deadline]);
    clearTimeout(timer);
  }
}
