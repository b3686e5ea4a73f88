import { randomUUID } from 'node:crypto';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message, SQSClientConfig } from '@aws-sdk/client-sqs';
import { createTcpProxy } from '@tributary/testing/conformance';
import type { ConformanceFault, DeadLetterRecord } from '@tributary/testing/conformance';

/** ElasticMQ as scripts/services.sh starts it (bash scripts/services.sh start elasticmq). */
export const SQS_URL = process.env.SQS_URL ?? 'http://127.0.0.1:9324';
export const REGION = 'elasticmq';
export const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };

/** A plain SQS client for the tests' own look at the queues. */
export const adminClient = (endpoint = SQS_URL, region = REGION): SQSClient =>
  new SQSClient({ endpoint, region, credentials: CREDENTIALS, useQueueUrlAsEndpoint: false } as SQSClientConfig);

/**
 * The conformance/chaos `fault` hook: a loopback TCP proxy in front of ElasticMQ's HTTP port
 * (restarting ElasticMQ would empty its in-memory queues, and it is shared).
 */
export const elasticMqFault = async (): Promise<ConformanceFault> => {
  const url = new URL(SQS_URL);
  const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port) });
  url.port = String(proxy.port);
  return { options: { host: url.toString() }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
};

export const queueName = (channel: string, fifo: boolean, suffix = ''): string => `${channel}${suffix}${fifo ? '.fifo' : ''}`;

export const queueUrl = async (sqs: SQSClient, name: string): Promise<string | undefined> =>
  (await sqs.send(new GetQueueUrlCommand({ QueueName: name })).catch(() => undefined))?.QueueUrl;

/** Puts bytes on a queue as a foreign producer would (no Tributary attributes). */
export const sendRaw = async (sqs: SQSClient, name: string, bytes: Buffer): Promise<void> => {
  const url = await queueUrl(sqs, name);
  if (!url) throw new Error(`no queue ${name}`);
  const fifo = name.endsWith('.fifo') ? { MessageGroupId: randomUUID(), MessageDeduplicationId: randomUUID() } : {};
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: bytes.toString('utf8'), ...fifo }));
};

const HEADERS = 'tributary-headers';

const record = (message: Message): DeadLetterRecord => {
  const attributes = message.MessageAttributes ?? {};
  const value = (name: string): string | undefined => attributes[name]?.StringValue;
  const type = value('tributary-type');
  return {
    ...(type === undefined ? {} : { type }),
    reason: value('x-dead-letter-reason') ?? '',
    errorName: value('x-error-name'),
    errorMessage: value('x-error-message'),
    attempts: Number(value('x-attempts')),
    headers: value(HEADERS) ? (JSON.parse(value(HEADERS)!) as Record<string, string>) : {},
    body: Buffer.from(message.Body ?? '', 'utf8'),
  };
};

/** Takes every message off a queue (receive + delete), oldest first. */
export const drainQueue = async (sqs: SQSClient, name: string): Promise<Message[]> => {
  const url = await queueUrl(sqs, name);
  if (!url) return [];
  const all: Message[] = [];
  for (let round = 0; round < 50; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      all.push(message);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return all.sort((a, b) => Number(a.Attributes?.SentTimestamp) - Number(b.Attributes?.SentTimestamp));
};

/**
 * The dead letters of a channel, oldest first, read without taking them: received (hidden)
 * until none is left, then all made visible again, so that they stay for a redrive (a FIFO
 * queue hands out a group's next message only while the previous one is hidden).
 */
export const deadLetterReader = (sqs: SQSClient, fifo: boolean) => ({
  read: async (channel: string): Promise<DeadLetterRecord[]> => {
    const url = await queueUrl(sqs, queueName(channel, fifo, '-dead-letter'));
    if (!url) return [];
    const all: Message[] = [];
    for (let round = 0; round < 20; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
      );
      if (Messages.length === 0) break;
      all.push(...Messages);
    }
    for (const message of [...all].reverse()) {
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 })).catch(() => undefined);
    }
    return all.sort((a, b) => Number(a.Attributes?.SentTimestamp) - Number(b.Attributes?.SentTimestamp)).map(record);
  },
  forget: (_channel: string) => undefined,
});

/** Deletes a channel's queues (the service queue and its dead-letter queue). */
export const deleteQueues = async (sqs: SQSClient, channel: string, fifo: boolean): Promise<void> => {
  for (const name of [queueName(channel, fifo), queueName(channel, fifo, '-dead-letter')]) {
    const url = await queueUrl(sqs, name);
    if (url) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
  }
};
