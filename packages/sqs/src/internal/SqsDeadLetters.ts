import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_HEADERS } from '@tributary/messaging/transport';
import type { DeadLetter, DeadLetterStore } from '@tributary/messaging/transport';
import { ATTRIBUTE, bodyOf, headersOf } from './attributes';
import type { Attributes } from './attributes';
import { createSqsClient } from './clients';
import { DEFAULT_GROUP } from './fifo';
import { Link } from './Link';
import { Queues } from './Queues';
import type { ResolvedSqsOptions } from './resolveOptions';

/** Listed letters stay invisible this long (s) unless moved or released on close. */
const HOLD = 300;

/**
 * The dead-letter queue of a service, for `redriveDeadLetters`: `list` receives letters and
 * holds them (invisible) until `move` or `close`; letters sent after the store opened are
 * held too but never listed, so a redrive cannot loop; `move` sends the original body and
 * attributes (without the dead-letter ones) to the service queue as a new message, then
 * deletes the letter; `close` makes what is held visible again.
 */
export class SqsDeadLetters implements DeadLetterStore {
  readonly destination: string;
  readonly target: string;
  private readonly held = new Map<string, Message>();
  private readonly later: Message[] = [];
  private readonly openedAt = Date.now();

  private constructor(
    private readonly sqs: SQSClient,
    private readonly link: Link,
    options: ResolvedSqsOptions,
    private readonly deadLetterUrl: string,
    private readonly serviceUrl: string,
  ) {
    this.destination = options.deadLetter || '';
    this.target = options.queue;
  }

  static async open(options: ResolvedSqsOptions): Promise<SqsDeadLetters> {
    if (options.deadLetter === false) throw new Error(`"${options.channel}" has no dead-letter queue (\`deadLetter: false\`): there is nothing to redrive.`);
    const sqs = createSqsClient(options);
    const link = new Link(options);
    const queues = new Queues(sqs, link, { ...options, createQueues: false });
    try {
      return new SqsDeadLetters(sqs, link, options, await queues.url(options.deadLetter), await queues.url(options.queue));
    } catch (error) {
      link.close();
      sqs.destroy();
      throw error;
    }
  }

  async list(options: { limit: number }): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    while (letters.length < options.limit) {
      const result = await this.link.call(signal =>
        this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.deadLetterUrl,
            MaxNumberOfMessages: Math.min(10, options.limit - letters.length),
            WaitTimeSeconds: 0,
            VisibilityTimeout: HOLD,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['SentTimestamp'],
          }),
          { abortSignal: signal },
        ),
      );
      const messages = result.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages.sort((a, b) => Number(a.Attributes?.SentTimestamp) - Number(b.Attributes?.SentTimestamp))) {
        if (Number(message.Attributes?.SentTimestamp) > this.openedAt) this.later.push(message);
        else {
          this.held.set(message.MessageId!, message);
          letters.push(this.letter(message));
        }
      }
    }
    return letters;
  }

  private letter(message: Message): DeadLetter {
    const value = (name: string): string | undefined => message.MessageAttributes?.[name]?.StringValue;
    const meta = value(ATTRIBUTE.meta);
    const attempts = Number(value(ATTRIBUTE.attempts));
    return {
      id: message.MessageId!,
      messageId: meta ? (JSON.parse(meta) as { id?: string }).id : undefined,
      type: value(ATTRIBUTE.type),
      reason: value(ATTRIBUTE.reason),
      errorName: value(ATTRIBUTE.errorName),
      errorMessage: value(ATTRIBUTE.errorMessage),
      attempts: Number.isFinite(attempts) ? attempts : undefined,
      headers: headersOf(message) ?? {},
      deadLetteredAt: Number(message.Attributes?.SentTimestamp) || undefined,
      source: value(ATTRIBUTE.originalQueue),
      data: bodyOf(message),
    };
  }

  async move(letter: DeadLetter): Promise<void> {
    const message = this.held.get(letter.id);
    if (!message) throw new Error(`Dead letter ${letter.id} was not listed by this store (or was moved already): list it first.`);
    const attributes: Attributes = {};
    for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) if (!DEAD_LETTER_HEADERS.includes(name)) attributes[name] = value;
    const fifo = this.serviceUrl.endsWith('.fifo');
    const key = attributes[ATTRIBUTE.meta]?.StringValue ? (JSON.parse(attributes[ATTRIBUTE.meta].StringValue!) as { key?: string }).key : undefined;
    const ids = fifo ? { MessageGroupId: key ?? DEFAULT_GROUP, MessageDeduplicationId: `redrive-${message.MessageId}` } : {};
    await this.link.call(signal =>
      this.sqs.send(new SendMessageCommand({ QueueUrl: this.serviceUrl, MessageBody: message.Body ?? '', MessageAttributes: attributes, ...ids }), { abortSignal: signal }),
    );
    await this.link.call(signal => this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.deadLetterUrl, ReceiptHandle: message.ReceiptHandle }), { abortSignal: signal }));
    this.held.delete(letter.id);
  }

  async close(): Promise<void> {
    const release = [...this.held.values(), ...this.later];
    this.held.clear();
    this.later.length = 0;
    await Promise.allSettled(
      release.map(message =>
        this.link.call(signal => this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.deadLetterUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }), { abortSignal: signal }), 5_000),
      ),
    );
    this.link.close();
    this.sqs.destroy();
  }
}
