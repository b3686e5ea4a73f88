import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Message, MessageAttributeValue, SQSClientConfig } from '@aws-sdk/client-sqs';
import { Transport } from '@tributary/messaging';
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import { environment, SQS_ENDPOINT } from '../harness/environment';
import type { SystemSpec } from '../harness/types';
import { SEND_TIMEOUT } from './effects';
import { PendingCalls } from './pendingCalls';
import { tributaryService } from './messagingSystems';

/** ElasticMQ takes any credentials; the SDK wants some. */
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'us-east-1';
/** Long polls, as Tributary's default `waitTimeSeconds`. */
const WAIT_SECONDS = 20;
/** Tributary's default prefetch (= concurrency): messages held unsettled by the service. */
const PREFETCH = 32;

/** SQS queue names take letters, digits, '-' and '_': the cell tag with its dots replaced. */
export const sqsName = (tag: string): string => tag.replace(/[^A-Za-z0-9_-]/g, '-');

const sqsClient = (): SQSClient =>
  new SQSClient({ endpoint: SQS_ENDPOINT, region: REGION, credentials: CREDENTIALS, useQueueUrlAsEndpoint: false } as SQSClientConfig);

/** Deletes the queues a cell made, by name (a fresh client: the cell's own may be gone). */
export const deleteSqsQueues = async (names: readonly string[]): Promise<void> => {
  const sqs = sqsClient();
  try {
    for (const name of names) {
      const url = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
        r => r.QueueUrl,
        () => undefined,
      );
      if (url) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    }
  } finally {
    sqs.destroy();
  }
};

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms).unref());

/**
 * Tributary: `createMicroservice` on `Transport.SQS` (default options: a queue with a
 * dead-letter queue and redrive policy, long polls of 20 s, prefetch 32, delete after the
 * effects, SendMessageBatch/DeleteMessageBatch of 10) and a `MessagingClient` (RPC over a reply
 * queue of its own). The service's close lets its long poll finish (up to 20 s): the queues are
 * deleted after 3 s whether it has or not.
 */
export const tributarySqs = async (tag: string): Promise<BenchSystem> => {
  const channel = sqsName(tag);
  const system = await tributaryService(
    Transport.SQS,
    { host: SQS_ENDPOINT, channel, region: REGION, credentials: CREDENTIALS, timeout: SEND_TIMEOUT },
    async () => undefined,
  );
  return {
    ...system,
    close: async () => {
      await Promise.race([system.close(), sleep(3000)]);
      await deleteSqsQueues([channel, `${channel}-dead-letter`]);
    },
  };
};

/**
 * Gathers entries per queue until the next macrotask after `windowMs` (or until ten are there)
 * and runs them as one batch request; each `add` resolves when its entry succeeded. The same
 * batching Tributary's SQS transport does (sends: next turn; deletes: 5 ms; ten at most).
 */
class Batches<T> {
  private readonly groups = new Map<string, Array<{ item: T; resolve: () => void; reject: (error: Error) => void }>>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: (url: string, items: T[]) => Promise<Array<string | undefined>>,
    private readonly windowMs: number,
  ) {}

  add(url: string, item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      let group = this.groups.get(url);
      if (!group) this.groups.set(url, (group = []));
      group.push({ item, resolve, reject });
      if (group.length === 10) {
        this.groups.delete(url);
        this.flush(url, group);
      } else this.timer ??= setTimeout(() => this.flushAll(), this.windowMs);
    });
  }

  private flushAll(): void {
    this.timer = undefined;
    const groups = [...this.groups];
    this.groups.clear();
    for (const [url, group] of groups) this.flush(url, group);
  }

  private flush(url: string, group: Array<{ item: T; resolve: () => void; reject: (error: Error) => void }>): void {
    this.run(
      url,
      group.map(entry => entry.item),
    ).then(
      failures => group.forEach((entry, i) => (failures[i] === undefined ? entry.resolve() : entry.reject(new Error(failures[i])))),
      (error: Error) => group.forEach(entry => entry.reject(error)),
    );
  }
}

interface Outgoing {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** SendMessageBatch and DeleteMessageBatch batchers on one client. */
const batchers = (sqs: SQSClient) => ({
  sends: new Batches<Outgoing>(async (url, items) => {
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: items.map((item, i) => ({ Id: String(i), MessageBody: item.body, MessageAttributes: item.attributes })),
      }),
    );
    const failed = new Map((result.Failed ?? []).map(f => [f.Id, `SQS refused the message: ${f.Code} ${f.Message ?? ''}`]));
    return items.map((_, i) => failed.get(String(i)));
  }, 0),
  deletes: new Batches<string>(async (url, handles) => {
    const result = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: url, Entries: handles.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })) }),
    );
    const failed = new Map((result.Failed ?? []).map(f => [f.Id, `delete failed: ${f.Code} ${f.Message ?? ''}`]));
    return handles.map((_, i) => failed.get(String(i)));
  }, 5),
});

/**
 * A long-poll loop on `url` (up to `max` messages per poll), stopped by `signal`; `room()` says
 * how many more messages may be held (the loop waits on `wait()` when none).
 */
const pollLoop = async (
  sqs: SQSClient,
  url: string,
  signal: AbortSignal,
  handle: (message: Message) => void,
  room: () => number = () => 10,
  wait: () => Promise<void> = async () => undefined,
): Promise<void> => {
  while (!signal.aborted) {
    if (room() < 1) {
      await wait();
      continue;
    }
    try {
      const result = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: Math.min(10, room()),
          WaitTimeSeconds: WAIT_SECONDS,
          VisibilityTimeout: 30,
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      for (const message of result.Messages ?? []) handle(message);
    } catch {
      if (!signal.aborted) await sleep(100);
    }
  }
};

/**
 * Raw `@aws-sdk/client-sqs` doing the same job with the same guarantees: a standard queue,
 * JSON bodies sent with SendMessageBatch (ten at most, gathered until the next turn), long polls
 * of 20 s taking up to 10 messages with at most 32 held, each message deleted (DeleteMessageBatch,
 * 5 ms window) only after it was processed — for a request, after its reply was sent. RPC: a
 * reply queue per client (its URL and a correlation id in message attributes), long-polled, the
 * replies deleted. Service and client have a client each, as Tributary's have.
 */
export const rawSqs = async (tag: string): Promise<BenchSystem> => {
  const name = sqsName(tag);
  const counter = new Counter();
  const service = sqsClient();
  const client = sqsClient();
  const stop = new AbortController();
  const url = (await service.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const replyName = `${name}-reply-${randomBytes(4).toString('hex')}`;
  const replyUrl = (await client.send(new CreateQueueCommand({ QueueName: replyName, Attributes: { MessageRetentionPeriod: '60' } }))).QueueUrl!;

  // the service: at most PREFETCH messages held between receive and delete
  const out = batchers(service);
  let held = 0;
  let wake: (() => void) | undefined;
  const release = (): void => {
    held--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const settle = (handle: string): void => {
    out.deletes.add(url, handle).catch(() => undefined);
    release();
  };
  const serve = (message: Message): void => {
    held++;
    const event = JSON.parse(message.Body!) as BenchEvent;
    if (event.type === 'OrderPlaced') {
      counter.hit();
      settle(message.ReceiptHandle!);
    } else if (event.type === 'Ping') {
      const to = message.MessageAttributes?.replyTo?.StringValue;
      const correlationId = message.MessageAttributes?.correlationId?.StringValue;
      if (!to || !correlationId) return settle(message.ReceiptHandle!);
      out.sends.add(to, { body: JSON.stringify({ type: 'Pong', payload: event.payload }), attributes: { correlationId: text(correlationId) } }).then(
        () => settle(message.ReceiptHandle!),
        // not answered: back to the queue after its visibility timeout
        () => release(),
      );
    } else settle(message.ReceiptHandle!);
  };
  stop.signal.addEventListener('abort', () => wake?.());
  const serving = pollLoop(
    service,
    url,
    stop.signal,
    serve,
    () => PREFETCH - held,
    () => new Promise<void>(resolve => (wake = resolve)),
  );

  // the client: sends, and a loop on its reply queue
  const sent = batchers(client);
  const calls = new PendingCalls();
  const replies = pollLoop(client, replyUrl, stop.signal, message => {
    sent.deletes.add(replyUrl, message.ReceiptHandle!).catch(() => undefined);
    calls.answer(message.MessageAttributes?.correlationId?.StringValue, () => JSON.parse(message.Body!));
  });
  return {
    emit: { emit: event => sent.sends.add(url, { body: JSON.stringify(event) }), processed: counter },
    send: {
      send: event => calls.call(correlationId => sent.sends.add(url, { body: JSON.stringify(event), attributes: { correlationId: text(correlationId), replyTo: text(replyUrl) } })),
    },
    close: async () => {
      stop.abort();
      await Promise.race([Promise.allSettled([serving, replies]), sleep(3000)]);
      service.destroy();
      client.destroy();
      await deleteSqsQueues([name, replyName]);
    },
  };
};

const SQS_SYSTEMS: Record<string, (tag: string) => Promise<BenchSystem>> = { tributary: tributarySqs, raw: rawSqs };

/** Why the peers have no SQS cell. */
export const SQS_ABSENT = {
  marble: 'Marble.js 4.1 has no SQS transport',
  nest: 'NestJS 12 microservices have no SQS transport',
  moleculer: 'Moleculer 0.15 has no SQS transporter',
} as const;

/** The SQS systems, with how many operations each makes per run. */
export const sqsSystems = (n: { tributary: number; raw: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'Transport.SQS', n: n.tributary, unavailable: () => environment.sqs ?? environment.tributarySqs },
  { id: 'raw', side: 'raw', label: '@aws-sdk/client-sqs', n: n.raw, unavailable: () => environment.sqs },
];

/** Starts an SQS system on fresh queues, runs `fn` on it, closes it and deletes its queues. */
export const withSqsSystem = <T>(systemId: string, tag: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = SQS_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown SQS system "${systemId}"`);
  return withSystem(() => start(tag), fn);
};
