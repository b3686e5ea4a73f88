import { act, matchEvent } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { ensureKafka, KafkaServices, sleep, uniqueTopic, waitFor } from './helpers';

interface Run {
  key: string;
  n: number;
  start: number;
  end?: number;
}

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4'];
const PER_KEY = 200;

describe('Kafka per-key order', () => {
  let services: KafkaServices;
  beforeAll(() => ensureKafka());
  beforeEach(() => (services = new KafkaServices()));
  afterEach(() => services.close());

  test('5 keys × 200 events, random handler delays, two instances: each key in order and one at a time, keys overlapping', async () => {
    const topic = uniqueTopic('key-order');
    const runs: Run[] = [];
    const worker: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Step'),
        act(async event => {
          const run: Run = { key: event.metadata!.key!, n: event.payload as number, start: performance.now() };
          runs.push(run);
          await sleep(Math.random() * 3);
          run.end = performance.now();
        }),
      );
    await services.service({ topic, partitions: 6 }, { effects: [worker] });
    await services.service({ topic, partitions: 6 }, { effects: [worker] });
    const client = await services.client({ topic, partitions: 6 });
    // interleaved: k0 0, k1 0, ..., k4 0, k0 1, ...; each key's events emitted in order
    for (let n = 0; n < PER_KEY; n++) await Promise.all(KEYS.map(key => client.emit({ type: 'Step', payload: n, metadata: { key } })));
    await waitFor(() => runs.length >= KEYS.length * PER_KEY && runs.every(r => r.end !== undefined), 60_000, 'every event handled');

    for (const key of KEYS) {
      const mine = runs.filter(r => r.key === key);
      expect(mine.map(r => r.n)).toEqual(Array.from({ length: PER_KEY }, (_, n) => n));
      // one at a time: each run of a key starts after the previous one ended
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start).toBeGreaterThanOrEqual(mine[i - 1]!.end!);
    }
    // different keys ran side by side at some point
    const overlapping = runs.some(a => runs.some(b => a.key !== b.key && a.start < b.end! && b.start < a.end!));
    expect(overlapping).toBe(true);
    console.log(`key order: ${runs.length} events, ${KEYS.length} keys, each in order, ${runs.length - KEYS.length * PER_KEY} duplicates`);
  }, 120_000);
});
