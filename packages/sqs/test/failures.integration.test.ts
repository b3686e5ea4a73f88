/**
 * Failures on a real SQS server (ElasticMQ): a consumer process SIGKILLed while it holds
 * messages (they come back after the visibility timeout and are handled: none lost), a slow
 * handler that outlives the visibility timeout (its message is kept, not handed to another
 * instance), and a poison message that crashed its consumers (dead-lettered without running
 * again, with SQS's redrive policy behind it as the broker-side safety net).
 *
 * The crashing consumer is a child process (`node` on fixtures/stuckConsumer.js) on the built
 * packages: `beforeAll` builds them with `npx tsc -b packages/sqs` (quick when up to date).
 */
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { act, bindEagerlyTo, contextFactory, createContextToken, lookup, matchEvent, useContext } from '@tributary/core';
import type { Event } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MessagingListenerConfig, MicroserviceConnection } from '@tributary/messaging';
import { createTransportLayer } from '@tributary/sqs';
import type { SqsStrategyOptions } from '@tributary/sqs';
import { BrokerUnavailableError } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import { createTcpProxy } from '@tributary/testing/conformance';
import { adminClient, CREDENTIALS, drainQueue, deleteQueues, queueUrl, REGION, SQS_URL } from './helpers/elasticmq';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'stuckConsumer.js');
const ClientToken = createContextToken<MessagingClient>('SqsFailuresClient');
type ChildReport = { ready?: true; started?: unknown; attempt?: number; error?: string };

const admin = adminClient();
const closers: Array<() => Promise<unknown>> = [];
const channels: string[] = [];
let child: ChildProcess | undefined;

const eventually = async (check: () => boolean | Promise<boolean>, timeout = 10_000): Promise<void> => {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeout} ms`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
};

const channelOf = (label: string): string => {
  const channel = `test-sqs-${label}-${randomBytes(4).toString('hex')}`;
  channels.push(channel);
  return channel;
};

const options = (channel: string, extra: Partial<SqsStrategyOptions> = {}): SqsStrategyOptions => ({
  host: SQS_URL,
  channel,
  region: REGION,
  credentials: CREDENTIALS,
  visibilityTimeout: 2,
  waitTimeSeconds: 1,
  timeout: 5_000,
  ...extra,
});

const service = async (channel: string, config: MessagingListenerConfig, extra: Partial<SqsStrategyOptions> = {}): Promise<MicroserviceConnection> => {
  const microservice = await createMicroservice({ transport: Transport.SQS, options: options(channel, extra), listener: messagingListener(config) });
  const connection = await microservice();
  closers.push(() => connection.close({ drainTimeout: 2_000 }));
  return connection;
};

const client = async (channel: string): Promise<MessagingClient> => {
  const context = await contextFactory(bindEagerlyTo(ClientToken)(MessagingClient({ transport: Transport.SQS, options: options(channel) })));
  const messaging = useContext(ClientToken)(lookup(context));
  closers.push(() => messaging.close());
  return messaging;
};

beforeAll(async () => {
  await promisify(execFile)('npx', ['tsc', '-b', 'packages/sqs'], { cwd: ROOT, timeout: 120_000 });
}, 180_000);

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  for (const channel of channels.splice(0)) await deleteQueues(admin, channel, false);
});

afterAll(() => admin.destroy());

describe('SQS failures', () => {
  it('a consumer SIGKILLed while it holds messages: they come back after the visibility timeout and are all handled (0 lost)', async () => {
    const channel = channelOf('crash');
    const reports: ChildReport[] = [];
    child = fork(FIXTURE, [channel, SQS_URL, 'standard'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: ChildReport) => reports.push(m));
    await eventually(() => reports.some(r => r.ready || r.error), 20_000);
    expect(reports.find(r => r.error)).toBeUndefined();

    const jobs = Array.from({ length: 12 }, (_, i) => `job-${i}`);
    const emitter = await client(channel);
    for (const job of jobs) await emitter.emit({ type: 'Job', payload: job });
    // the child holds prefetch (4) of them, unsettled, its heartbeat keeping them invisible
    await eventually(() => reports.filter(r => r.started !== undefined).length === 4);
    const held = reports.filter(r => r.started !== undefined).map(r => r.started as string);

    const exited = new Promise(resolve => child!.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const handled: Event[] = [];
    await service(channel, { effects: [e$ => e$.pipe(matchEvent('Job'), act(e => void handled.push(e)))] });
    await eventually(() => handled.length >= jobs.length, 20_000);
    const payloads = handled.map(e => e.payload as string);
    expect([...new Set(payloads)].sort()).toEqual([...jobs].sort()); // none lost
    expect(payloads).toHaveLength(jobs.length); // none twice
    // what the killed consumer held came back as a second delivery
    for (const job of held) expect(handled.find(e => e.payload === job)?.metadata?.attempt).toBe(2);
    expect(await drainQueue(admin, `${channel}-dead-letter`)).toEqual([]);
  });

  it('a handler slower than the visibility timeout keeps its message: no other instance gets it meanwhile', async () => {
    const channel = channelOf('slow');
    const runs: Array<[instance: string, attempt: unknown]> = [];
    const slow = (instance: string): MessagingListenerConfig => ({
      effects: [
        e$ =>
          e$.pipe(
            matchEvent('Slow'),
            act(async e => {
              runs.push([instance, e.metadata?.attempt]);
              await new Promise(resolve => setTimeout(resolve, 4_500));
            }),
          ),
      ],
    });
    // visibility 1 s: without the heartbeat the second instance would get it after 1 s
    await service(channel, slow('a'), { visibilityTimeout: 1 });
    await service(channel, slow('b'), { visibilityTimeout: 1 });
    const emitter = await client(channel);
    await emitter.emit({ type: 'Slow', payload: 1 });
    await eventually(() => runs.length === 1);
    await new Promise(resolve => setTimeout(resolve, 5_500));
    expect(runs).toHaveLength(1);
    expect(runs[0][1]).toBe(1);
    const url = (await queueUrl(admin, channel))!;
    const { Attributes } = await admin.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' }); // deleted once done
  });

  it('a poison message whose consumers crashed maxAttempts times is dead-lettered without running again; the queue has a redrive policy above it', async () => {
    const channel = channelOf('poison');
    const emitter = await client(channel);
    // the service creates the queues and the redrive policy; then it is gone
    const first = await service(channel, { effects: [] }, { retry: { maxAttempts: 3 } });
    await first.close();
    const url = (await queueUrl(admin, channel))!;
    const { Attributes } = await admin.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }));
    const redrive = JSON.parse(Attributes!.RedrivePolicy!) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
    expect(redrive.deadLetterTargetArn).toMatch(new RegExp(`:${channel}-dead-letter$`));
    expect(Number(redrive.maxReceiveCount)).toBe(3 + 5);

    await emitter.emit({ type: 'Poison', payload: 'p' });
    // three consumers take it and crash (never settle it): three receives that expire
    for (let crash = 0; crash < 3; crash++) {
      let got = 0;
      await eventually(async () => {
        const { Messages = [] } = await admin.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, VisibilityTimeout: 1 }));
        got += Messages.length;
        return got === 1;
      });
    }
    const ran: Event[] = [];
    await service(channel, { effects: [e$ => e$.pipe(matchEvent('Poison'), act(e => void ran.push(e)))] }, { retry: { maxAttempts: 3 } });
    let letters: Awaited<ReturnType<typeof drainQueue>> = [];
    await eventually(async () => (letters = [...letters, ...(await drainQueue(admin, `${channel}-dead-letter`))]).length === 1, 15_000);
    expect(ran).toEqual([]);
    const attributes = letters[0].MessageAttributes!;
    expect(attributes['x-dead-letter-reason']?.StringValue).toBe('failed');
    expect(Number(attributes['x-attempts']?.StringValue)).toBe(4);
    expect(JSON.parse(letters[0].Body!)).toMatchObject({ type: 'Poison', payload: 'p' });
  });

  it('a cut connection: status$ goes disconnected → reconnecting → connected, the receive loop resumes by itself, nothing emitted is lost', async () => {
    const channel = channelOf('cut');
    const url = new URL(SQS_URL);
    const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port) });
    closers.push(() => proxy.close());
    const through = { ...options(channel), host: `http://127.0.0.1:${proxy.port}`, reconnect: { initialDelay: 50, maxDelay: 300 } };
    const connection = await createTransportLayer(through).connect({ isConsumer: true });
    closers.push(() => connection.close());
    const statuses: string[] = [];
    connection.status$.subscribe(status => statuses.push(status));
    const got: TransportMessage[] = [];
    connection.message$.subscribe(message => {
      got.push(message);
      void connection.ackMessage(message);
    });
    const emitter = await client(channel); // straight to ElasticMQ
    await emitter.emit({ type: 'Before', payload: 1 });
    await eventually(() => got.length === 1);

    await proxy.cut();
    await emitter.emit({ type: 'During', payload: 2 });
    await eventually(() => statuses.includes('reconnecting'));
    await proxy.restore();
    await eventually(() => got.length === 2 && statuses[statuses.length - 1] === 'connected');
    await emitter.emit({ type: 'After', payload: 3 });
    await eventually(() => got.length === 3);
    expect(got.map(message => message.type)).toEqual(['Before', 'During', 'After']);
    expect(statuses).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
    await connection.close();
    expect(statuses[statuses.length - 1]).toBe('closed');
  });

  it('connect gives up with BrokerUnavailableError after timeout when SQS does not answer; the error names the endpoint, never credentials', async () => {
    const proxy = await createTcpProxy({ port: Number(new URL(SQS_URL).port) });
    await proxy.cut();
    closers.push(() => proxy.close());
    const layer = createTransportLayer({ ...options(channelOf('down')), host: `http://127.0.0.1:${proxy.port}`, timeout: 1_000, credentials: { accessKeyId: 'AKIDSECRETLESS', secretAccessKey: 'very-secret' } });
    const started = Date.now();
    const error = (await layer.connect({ isConsumer: true }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toContain(`http://127.0.0.1:${proxy.port}`);
    expect(`${error.message} ${JSON.stringify(layer.config)}`).not.toMatch(/very-secret|AKIDSECRETLESS/);
  });
});
