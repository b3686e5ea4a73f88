import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { ackEvent, dedupe, reply } from '@tributary/messaging';
import { createTcpProxy } from '@tributary/testing/conformance';
import type { MsgEffect } from '@tributary/messaging';
import { createRedisDedupeStore } from '@tributary/redis';
import { firstValueFrom } from 'rxjs';
import { REDIS_URL, RedisTestBed, sleep, waitFor } from './helpers';
import { RedisServices } from './services';

const ROOT = resolve(__dirname, '../../..');
const fieldsOf = (flat: string[]): Record<string, string> => Object.fromEntries(flat.flatMap((v, i) => (i % 2 ? [] : [[v, flat[i + 1]]])));

/** An effect recording each event it handles; `work` may throw. */
const recorder = (type: string, seen: Event[], work: (event: Event) => unknown = () => undefined): MsgEffect => event$ =>
  event$.pipe(
    matchEvent(type),
    act(async event => {
      seen.push(event);
      await work(event);
    }),
  );

describe('Redis microservice, streams mode (durable delivery)', () => {
  let bed: RedisTestBed;
  let services: RedisServices;

  beforeEach(() => {
    bed = new RedisTestBed();
    services = new RedisServices(bed);
  });

  afterEach(async () => {
    await services.close();
    await bed.close();
  });

  const deadLetters = async (channel: string): Promise<Array<Record<string, string>>> =>
    (await bed.admin.xrange(bed.key(`${channel}:dead-letter`), '-', '+')).map(([, flat]) => fieldsOf(flat));
  const pending = async (channel: string): Promise<number> => Number(((await bed.admin.xpending(bed.key(channel), channel)) as [number])[0]);

  test('events emitted while no consumer runs are processed when one starts', async () => {
    const channel = bed.channel('orders');
    const client = await services.client({ channel, mode: 'streams' });
    for (let i = 0; i < 5; i++) await client.emit({ type: 'OrderPlaced', payload: { n: i, note: 'a::b' } });

    const seen: Event[] = [];
    await services.service({ channel, mode: 'streams' }, { effects: [recorder('OrderPlaced', seen)] });
    await waitFor(() => seen.length === 5, 5_000, 'backlog processed');
    expect(seen.map(event => (event.payload as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
    await waitFor(async () => (await pending(channel)) === 0, 2_000, 'all acknowledged');
  });

  test('RPC works in streams mode (the reply comes back over pub/sub)', async () => {
    const channel = bed.channel('math');
    const double$: MsgEffect = event$ => event$.pipe(matchEvent('Double'), act(event => reply(event)({ type: 'Doubled', payload: (event.payload as number) * 2 })));
    await services.service({ channel, mode: 'streams' }, { effects: [double$] });
    const client = await services.client({ channel, mode: 'streams' });
    const results = await Promise.all([1, 2, 3].map(n => firstValueFrom(client.send({ type: 'Double', payload: n }))));
    expect(results.map(result => result.payload)).toEqual([2, 4, 6]);
  });

  test('retry then success: the failed attempt is retried with backoff and the next one succeeds', async () => {
    const channel = bed.channel('flaky');
    const seen: Event[] = [];
    const flaky = recorder('Charge', seen, event => {
      if (event.metadata?.attempt === 1) throw new Error('gateway timeout');
    });
    await services.service({ channel, mode: 'streams', retry: { maxAttempts: 3, initialDelay: 100 } }, { effects: [flaky] });
    const client = await services.client({ channel, mode: 'streams' });
    await client.emit({ type: 'Charge', payload: 42 });

    await waitFor(() => seen.length === 2, 5_000, 'second attempt');
    expect(seen.map(event => event.metadata?.attempt)).toEqual([1, 2]);
    expect(seen[1].metadata?.id).toBe(seen[0].metadata?.id);
    await sleep(300);
    expect(seen).toHaveLength(2);
    expect(await pending(channel)).toBe(0);
    expect(await deadLetters(channel)).toEqual([]);
  });

  test('dead-letter after max attempts, with the error, attempts and reason', async () => {
    const channel = bed.channel('poison');
    const seen: Event[] = [];
    const failing = recorder('Import', seen, () => {
      throw new TypeError('cannot parse row 7');
    });
    await services.service({ channel, mode: 'streams', retry: { maxAttempts: 3, initialDelay: 30 } }, { effects: [failing] });
    const client = await services.client({ channel, mode: 'streams' });
    await client.emit({ type: 'Import', payload: 'row::7', metadata: { headers: { tenant: 'acme' } } });

    // each retry may wait for a blocking read to end (blockTime): bounded generously for a loaded machine
    await waitFor(async () => (await deadLetters(channel)).length === 1, 15_000, 'dead letter');
    expect(seen.map(event => event.metadata?.attempt)).toEqual([1, 2, 3]);
    const [letter] = await deadLetters(channel);
    expect(letter).toEqual(expect.objectContaining({ reason: 'failed', errorName: 'TypeError', errorMessage: 'cannot parse row 7', attempts: '3', type: 'Import' }));
    expect(JSON.parse(letter.data)).toEqual(expect.objectContaining({ type: 'Import', payload: 'row::7', metadata: expect.objectContaining({ headers: { tenant: 'acme' } }) }));
    expect(await pending(channel)).toBe(0);
  });

  test('unhandled and malformed messages are dead-lettered with their reason; the service goes on', async () => {
    const channel = bed.channel('mixed');
    const seen: Event[] = [];
    await services.service({ channel, mode: 'streams' }, { effects: [recorder('Known', seen)] });
    const client = await services.client({ channel, mode: 'streams' });
    await client.emit({ type: 'Unknown' });
    await bed.admin.xadd(bed.key(channel), '*', 'data', 'uuid::{"not":"an envelope"}');
    await client.emit({ type: 'Known' });

    await waitFor(async () => seen.length === 1 && (await deadLetters(channel)).length === 2, 5_000, 'settled');
    expect((await deadLetters(channel)).map(letter => letter.reason).sort()).toEqual(['malformed', 'unhandled']);
    expect(await pending(channel)).toBe(0);
  });

  test('an entry its consumers keep crashing on is dead-lettered once its deliveries pass maxAttempts, without running again', async () => {
    const channel = bed.channel('poison');
    const client = await services.client({ channel, mode: 'streams' });
    await bed.admin.xgroup('CREATE', bed.key(channel), channel, '0', 'MKSTREAM');
    await client.emit({ type: 'Crashy', payload: 'boom' });
    // three consumers took it in turn and died: delivered three times
    const [[, [[id]]]] = (await bed.admin.xreadgroup('GROUP', channel, 'ghost', 'STREAMS', bed.key(channel), '>')) as [string, [string, string[]][]][];
    await bed.admin.xclaim(bed.key(channel), channel, 'ghost', 0, id, 'RETRYCOUNT', 3);

    const seen: Event[] = [];
    await services.service({ channel, mode: 'streams', consumer: 'next', claimIdleTime: 200, retry: { maxAttempts: 3 } }, { effects: [recorder('Crashy', seen)] });
    // each retry may wait for a blocking read to end (blockTime): bounded generously for a loaded machine
    await waitFor(async () => (await deadLetters(channel)).length === 1, 15_000, 'dead letter');
    expect(seen).toEqual([]);
    expect((await deadLetters(channel))[0]).toEqual(expect.objectContaining({ reason: 'failed', errorName: 'MaxAttemptsExceededError', attempts: '4' }));
    expect(await pending(channel)).toBe(0);
  });

  describe('with a consumer in a child process', () => {
    // the child runs on the built packages (packages/*/dist)
    beforeAll(() => {
      execFileSync('npx', ['tsc', '-b', 'packages/redis'], { cwd: ROOT, stdio: 'pipe' });
    }, 120_000);

    test('a consumer killed with SIGKILL mid-processing has its entry claimed and processed by another', async () => {
      const channel = bed.channel('jobs');
      const options = services.options({ channel, mode: 'streams', consumer: 'doomed', claimIdleTime: 500 });
      const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'fixtures/stuck-consumer.js'), JSON.stringify(options)], {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'test' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', chunk => (output += chunk));
      child.stderr!.on('data', chunk => (output += chunk));
      const exited = new Promise(resolve => child.once('exit', resolve));
      try {
        await waitFor(() => output.includes('ready'), 15_000, `child ready (${output})`);
        const client = await services.client({ channel, mode: 'streams' });
        await client.emit({ type: 'Work', payload: 'job-1' });
        await waitFor(() => output.includes('started job-1 attempt=1'), 5_000, `child started the job (${output})`);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
      const [[, owner]] = (await bed.admin.xpending(bed.key(channel), channel, '-', '+', 10)) as Array<[string, string]>;
      expect(owner).toBe('doomed');

      const seen: Event[] = [];
      await services.service({ channel, mode: 'streams', consumer: 'rescuer', claimIdleTime: 500 }, { effects: [recorder('Work', seen)] });
      await waitFor(() => seen.length === 1, 5_000, 'claimed and processed');
      expect(seen[0]).toEqual(expect.objectContaining({ payload: 'job-1', metadata: expect.objectContaining({ attempt: 2 }) }));
      await waitFor(async () => (await pending(channel)) === 0, 2_000, 'acknowledged');
    }, 60_000);
  });

  test('CLIENT KILL mid-stream: the service recovers by itself and every emitted event is processed exactly once (Redis dedupe store)', async () => {
    const channel = bed.channel('orders');
    const store = createRedisDedupeStore({ options: REDIS_URL, keyPrefix: bed.key('dedupe:') });
    const counts = new Map<number, number>();
    const work = recorder('Order', [], async event => {
      counts.set(event.payload as number, (counts.get(event.payload as number) ?? 0) + 1);
      await sleep(2);
    });
    await services.service({ channel, mode: 'streams', batchSize: 8, claimIdleTime: 60_000 }, { effects: [work], middlewares: [dedupe({ store })] });
    const client = await services.client({ channel, mode: 'streams' });

    const total = 150;
    const emitting = (async () => {
      for (let i = 0; i < total; i++) await client.emit({ type: 'Order', payload: i });
    })();
    await waitFor(() => counts.size >= 20, 5_000, 'some processed');
    expect(await bed.kill('normal')).toBeGreaterThanOrEqual(3);
    await emitting;

    try {
      await waitFor(() => counts.size === total, 15_000, `all ${total} processed (got ${counts.size})`);
      await waitFor(async () => (await pending(channel)) === 0, 5_000, 'all acknowledged');
      expect([...counts.values()].every(count => count === 1)).toBe(true);
    } finally {
      await store.close();
    }
  });

  test('manual mode: ackEvent resolves once Redis has the XACK, not when it is sent (answers lost, then a cut: it resolves after the reconnection)', async () => {
    const proxy = await createTcpProxy({ port: 6379 });
    try {
      const channel = bed.channel('manual');
      let go!: () => void;
      const ready = new Promise<void>(resolve => (go = resolve));
      let acked: boolean | undefined;
      let started = false;
      const ack$: MsgEffect = (event$, ctx) =>
        event$.pipe(
          matchEvent('Job'),
          act(async event => {
            started = true;
            await ready;
            acked = await ackEvent(ctx)(event)();
          }),
        );
      await services.service({ channel, mode: 'streams', host: `redis://127.0.0.1:${proxy.port}`, expectAck: true, timeout: 10_000 }, { effects: [ack$] });
      const client = await services.client({ channel, mode: 'streams' });
      await client.emit({ type: 'Job' });
      await waitFor(() => started, 5_000, 'the job started');
      await proxy.dropReplies();
      go();
      await sleep(500);
      expect(acked).toBeUndefined(); // sent (Redis even ran it), not answered
      await proxy.cut();
      await proxy.restore();
      await waitFor(() => acked !== undefined, 5_000, 'the acknowledgement answered');
      expect(acked).toBe(true);
      expect(await pending(channel)).toBe(0);
    } finally {
      await services.close();
      await proxy.close();
    }
  });
});
