import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { act, matchEvent } from '@tributary/core';
import type { MessagingClient, MsgEffect } from '@tributary/messaging';
import { ensureKafka, KafkaServices, ROOT, sleep, uniqueTopic, waitFor } from './helpers';
import { startOwnKafka } from './ownKafka';

const TOTAL = 5_000;

/** Records every handled payload (a number), counting duplicates. */
class Ledger {
  readonly counts = new Map<number, number>();
  handled(n: number): void {
    this.counts.set(n, (this.counts.get(n) ?? 0) + 1);
  }
  get unique(): number {
    return this.counts.size;
  }
  get duplicates(): number {
    let d = 0;
    for (const c of this.counts.values()) d += c - 1;
    return d;
  }
  missing(total: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < total; i++) if (!this.counts.has(i)) out.push(i);
    return out;
  }
}

const worker = (ledger: Ledger, count: { n: number } = { n: 0 }): MsgEffect => event$ =>
  event$.pipe(
    matchEvent('Work'),
    act(async event => {
      await sleep(Math.random() * 2);
      ledger.handled(event.payload as number);
      count.n++;
    }),
  );

/** Emits 0..total-1 (keys over 50 values), 100 in flight; a rejected emit is emitted again. `during` runs once `at` emits resolved. */
const emitAll = async (client: MessagingClient, total: number, at: number, during: () => Promise<void>): Promise<{ resolved: number; rejected: number }> => {
  let next = 0;
  let resolved = 0;
  let rejected = 0;
  let fault: Promise<void> | undefined;
  const lane = async (): Promise<void> => {
    while (next < total) {
      const n = next++;
      for (;;) {
        try {
          await client.emit({ type: 'Work', payload: n, metadata: { key: `k${n % 50}` } });
          resolved++;
          break;
        } catch {
          rejected++;
          await sleep(200);
        }
      }
      if (resolved === at && !fault) fault = during();
    }
  };
  await Promise.all(Array.from({ length: 100 }, lane));
  await fault;
  return { resolved, rejected };
};

describe('Kafka under failures: nothing lost (≥ 5,000 emits each)', () => {
  let services: KafkaServices;
  let closeOwn: (() => Promise<void>) | undefined;
  beforeAll(() => ensureKafka());
  beforeEach(() => (services = new KafkaServices()));
  afterEach(async () => {
    await services.close();
    await closeOwn?.();
    closeOwn = undefined;
  });

  // a broker of this test's own (ports and folder of its own): the shared one is never stopped
  test('the broker is stopped and restarted mid-run', async () => {
    const kafka = await startOwnKafka();
    const own = new KafkaServices(kafka.brokers);
    closeOwn = async () => {
      await own.close();
      await kafka.remove();
    };
    const topic = uniqueTopic('restart');
    const ledger = new Ledger();
    const service = await own.service({ topic, timeout: 60_000 }, { effects: [worker(ledger)] });
    const statuses: string[] = [];
    service.status$.subscribe(status => statuses.push(String(status)));
    const client = await own.client({ topic, timeout: 60_000 });
    const pidBefore = kafka.pid();
    const { resolved, rejected } = await emitAll(client, TOTAL, 1_500, async () => {
      await kafka.stop();
      await sleep(1_000);
      await kafka.start();
    });
    expect(resolved).toBe(TOTAL);
    expect(kafka.pid()).not.toBe(pidBefore);
    await waitFor(() => ledger.unique === TOTAL, 90_000, `all ${TOTAL} handled (missing ${ledger.missing(TOTAL).length})`);
    console.log(`broker restart: ${TOTAL} emits resolved (${rejected} rejected and emitted again), ${ledger.unique} handled, ${ledger.duplicates} duplicates`);
    expect(ledger.missing(TOTAL)).toEqual([]);
    expect(statuses).toContain('reconnecting');
    expect(statuses[statuses.length - 1]).toBe('connected');
  }, 240_000);

  test('a consumer process is SIGKILLed mid-run', async () => {
    const topic = uniqueTopic('sigkill');
    const ledger = new Ledger();
    const options = services.options({ topic, sessionTimeout: 6_000 });
    const child: ChildProcess = spawn(process.execPath, [resolve(__dirname, 'fixtures/consumer.js'), JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let childHandled = 0;
    let ready = false;
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else if (line.startsWith('handled ')) {
          ledger.handled(Number(line.slice(8)));
          childHandled++;
        }
      }
    });
    try {
      await waitFor(() => ready, 30_000, 'the child consumer');
      await services.service({ topic, sessionTimeout: 6_000 }, { effects: [worker(ledger)] });
      const client = await services.client({ topic });
      await emitAll(client, TOTAL, 2_000, async () => {
        await waitFor(() => childHandled > 200, 30_000, 'the child handling some');
        child.kill('SIGKILL');
      });
      await waitFor(() => ledger.unique === TOTAL, 90_000, `all ${TOTAL} handled (missing ${ledger.missing(TOTAL).length})`);
      console.log(`consumer SIGKILL: ${TOTAL} emits resolved, ${ledger.unique} handled (${childHandled} by the killed child), ${ledger.duplicates} duplicates`);
      expect(ledger.missing(TOTAL)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 240_000);

  test('a third instance joins mid-run (rebalance)', async () => {
    const topic = uniqueTopic('rebalance');
    const ledger = new Ledger();
    await services.service({ topic, partitions: 6 }, { effects: [worker(ledger)] });
    await services.service({ topic, partitions: 6 }, { effects: [worker(ledger)] });
    const client = await services.client({ topic, partitions: 6 });
    const third = { n: 0 };
    await emitAll(client, TOTAL, 1_500, async () => {
      await services.service({ topic, partitions: 6 }, { effects: [worker(ledger, third)] });
    });
    await waitFor(() => ledger.unique === TOTAL, 90_000, `all ${TOTAL} handled (missing ${ledger.missing(TOTAL).length})`);
    console.log(`rebalance: ${TOTAL} emits resolved, ${ledger.unique} handled (${third.n} by the third instance), ${ledger.duplicates} duplicates`);
    expect(ledger.missing(TOTAL)).toEqual([]);
    expect(third.n).toBeGreaterThan(0);
  }, 240_000);
});
