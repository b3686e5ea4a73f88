import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueueNotFoundError } from '../errors';
import type { Link } from './Link';
import type { ResolvedSqsOptions } from './resolveOptions';

const isMissing = (error: unknown): boolean => {
  const name = (error as { name?: string })?.name ?? '';
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue' || name === 'NonExistentQueue';
};

const exists = (error: unknown): boolean => /QueueAlreadyExists|QueueNameExists/.test((error as { name?: string })?.name ?? '');

/** How many receives before SQS itself moves a message to the dead-letter queue: a safety net above `retry.maxAttempts`. */
export const maxReceiveCount = (options: ResolvedSqsOptions): number => options.retry.maxAttempts + 5;

/** Queue names to URLs (looked up once), and creating the queues a service or client needs. */
export class Queues {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly link: Link,
    private readonly options: ResolvedSqsOptions,
  ) {}

  /** The URL of an existing queue; `SqsQueueNotFoundError` when there is none. */
  url(name: string): Promise<string> {
    let url = this.urls.get(name);
    if (!url) {
      url = this.link
        .call(signal => this.sqs.send(new GetQueueUrlCommand({ QueueName: name }), { abortSignal: signal }))
        .then(result => result.QueueUrl!)
        .catch(error => {
          throw isMissing(error) ? new SqsQueueNotFoundError(name, error) : error;
        });
      this.urls.set(name, url);
      url.catch(() => this.urls.delete(name));
    }
    return url;
  }

  /** Creates the queue unless it exists (whatever its attributes), and returns its URL. */
  async ensure(name: string, attributes: Record<string, string> = {}): Promise<string> {
    if (!this.options.createQueues) return this.url(name);
    const fifo = name.endsWith('.fifo') ? { FifoQueue: 'true' } : {};
    try {
      const result = await this.link.call(signal =>
        this.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...fifo, ...attributes } }), { abortSignal: signal }),
      );
      this.urls.set(name, Promise.resolve(result.QueueUrl!));
      return result.QueueUrl!;
    } catch (error) {
      // it exists with other attributes (made by another version or by hand): use it as it is
      if (exists(error)) return this.url(name);
      throw error;
    }
  }

  async arn(url: string): Promise<string> {
    const result = await this.link.call(signal =>
      this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }), { abortSignal: signal }),
    );
    return result.Attributes!.QueueArn!;
  }

  setAttributes(url: string, attributes: Record<string, string>): Promise<unknown> {
    return this.link.call(signal => this.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }), { abortSignal: signal }));
  }

  /**
   * The service's queues: the dead-letter queue, then the service queue with a redrive policy
   * to it (SQS's own safety net, should the framework's dead-lettering not happen).
   */
  async service(): Promise<{ url: string; deadLetterUrl?: string }> {
    const { options } = this;
    if (options.deadLetter === false) return { url: await this.ensure(options.queue) };
    const deadLetterUrl = await this.ensure(options.deadLetter, { MessageRetentionPeriod: '1209600' });
    const url = await this.ensure(options.queue);
    if (options.createQueues) {
      const redrive = JSON.stringify({ deadLetterTargetArn: await this.arn(deadLetterUrl), maxReceiveCount: String(maxReceiveCount(options)) });
      await this.setAttributes(url, { RedrivePolicy: redrive });
    }
    return { url, deadLetterUrl };
  }

  async delete(url: string, timeout: number): Promise<void> {
    await this.link.call(signal => this.sqs.send(new DeleteQueueCommand({ QueueUrl: url }), { abortSignal: signal }), timeout);
  }
}
