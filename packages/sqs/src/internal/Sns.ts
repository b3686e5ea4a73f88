import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { SNSClientConfig } from '@aws-sdk/client-sns';
import type { TransportMessage } from '@tributary/messaging/transport';
import { ATTRIBUTE, toWire } from './attributes';
import { clientConfig } from './clients';
import { fifoIds } from './fifo';
import type { Link } from './Link';
import type { Queues } from './Queues';
import type { ResolvedSqsOptions } from './resolveOptions';

/**
 * An SNS filter policy on the event type for `subscribe` patterns: exact types as they are,
 * a pattern as the prefix before its first wildcard (the consumer checks the whole pattern);
 * undefined (everything) when a pattern starts with a wildcard.
 */
export const filterPolicy = (patterns: readonly string[]): string | undefined => {
  const values: Array<string | { prefix: string }> = [];
  for (const pattern of patterns) {
    const words = pattern.split('.');
    const wild = words.findIndex(word => word === '*' || word === '#');
    if (wild < 0) values.push(pattern);
    else if (wild === 0) return undefined;
    else values.push({ prefix: `${words.slice(0, wild).join('.')}.` });
  }
  return JSON.stringify({ [ATTRIBUTE.type]: values });
};

/**
 * `publish` through one SNS topic, and the subscription of a service queue to it (raw message
 * delivery, so a publication arrives as an SQS message like any other, with its attributes).
 */
export class Sns {
  private readonly client: SNSClient;
  private arn?: Promise<string>;

  constructor(
    private readonly link: Link,
    private readonly options: ResolvedSqsOptions,
    private readonly sns: { endpoint?: string; topic: string },
  ) {
    this.client = new SNSClient(clientConfig(options, sns.endpoint) as SNSClientConfig);
  }

  /** The topic's ARN (created when missing: CreateTopic is idempotent). */
  topic(): Promise<string> {
    if (!this.arn) {
      const attributes: Record<string, string> = this.options.fifo ? { FifoTopic: 'true' } : {};
      this.arn = this.link
        .call(signal => this.client.send(new CreateTopicCommand({ Name: this.sns.topic, Attributes: attributes }), { abortSignal: signal }))
        .then(result => result.TopicArn!);
      this.arn.catch(() => (this.arn = undefined));
    }
    return this.arn;
  }

  async publish(message: TransportMessage): Promise<void> {
    const topicArn = await this.topic();
    const { body, attributes } = toWire(message, true);
    await this.link.call(signal =>
      this.client.send(new PublishCommand({ TopicArn: topicArn, Message: body, MessageAttributes: attributes, ...fifoIds(message, this.options.fifo) }), {
        abortSignal: signal,
      }),
    );
  }

  /** Subscribes the service queue with a filter policy for `subscribe`, and lets the topic send to it. */
  async subscribe(queues: Queues, url: string, patterns: readonly string[]): Promise<void> {
    const topicArn = await this.topic();
    const queueArn = await queues.arn(url);
    // on AWS the queue must allow the topic to send to it
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } }],
    };
    await queues.setAttributes(url, { Policy: JSON.stringify(policy) }).catch(error => this.link.report(error));
    const filter = filterPolicy(patterns);
    const attributes: Record<string, string> = { RawMessageDelivery: 'true', ...(filter ? { FilterPolicy: filter } : {}) };
    try {
      await this.link.call(signal =>
        this.client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes, ReturnSubscriptionArn: true }), {
          abortSignal: signal,
        }),
      );
    } catch (error) {
      // subscribed before with other patterns: update that subscription's filter
      const existing = await this.find(topicArn, queueArn);
      if (!existing) throw error;
      await this.link.call(signal =>
        this.client.send(
          new SetSubscriptionAttributesCommand({ SubscriptionArn: existing, AttributeName: 'FilterPolicy', AttributeValue: filter ?? '{}' }),
          { abortSignal: signal },
        ),
      );
    }
  }

  private async find(topicArn: string, queueArn: string): Promise<string | undefined> {
    let next: string | undefined;
    do {
      const page = await this.link.call(signal =>
        this.client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next }), { abortSignal: signal }),
      );
      const found = page.Subscriptions?.find(s => s.Endpoint === queueArn && s.Protocol === 'sqs');
      if (found?.SubscriptionArn) return found.SubscriptionArn;
      next = page.NextToken;
    } while (next);
    return undefined;
  }

  close(): void {
    this.client.destroy();
  }
}
