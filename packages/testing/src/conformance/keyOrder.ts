import { act, matchEvent } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import type { ConformanceKit } from './internal/ConformanceKit';

interface Run {
  key: string;
  n: number;
  start: number;
  end?: number;
}

const WORK_MS = 80;

const recorder = (runs: Run[]): MsgEffect => e$ =>
  e$.pipe(
    matchEvent('Step'),
    act(async e => {
      const run: Run = { key: e.metadata?.key as string, n: e.payload as number, start: Date.now() };
      runs.push(run);
      await new Promise(resolve => setTimeout(resolve, WORK_MS));
      run.end = Date.now();
    }),
  );

/** Runs of one key overlap when one starts before the previous one ended. */
const overlapsWithin = (runs: Run[], key: string): number => {
  const mine = runs.filter(run => run.key === key);
  return mine.filter((run, i) => i > 0 && run.start < (mine[i - 1].end ?? Infinity)).length;
};

/** `metadata.key`: events with one key one at a time, in order; different keys in parallel. */
export const keyOrderCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('key order: events with the same metadata.key are handled one at a time in order; different keys in parallel', [], async c => {
    const channel = c.channel('key-order');
    const runs: Run[] = [];
    await c.service(channel, { effects: [recorder(runs)] });
    const client = await c.client(channel);
    const count = 4;
    for (let n = 0; n < count; n++) {
      for (const key of ['order-a', 'order-b']) await client.emit({ type: 'Step', payload: n, metadata: { key } });
    }
    await c.waitFor(() => runs.length === 2 * count && runs.every(run => run.end !== undefined), 'every event to be handled', () => runs);
    for (const key of ['order-a', 'order-b']) {
      expect({ key, order: runs.filter(run => run.key === key).map(run => run.n) }).toEqual({ key, order: [0, 1, 2, 3] });
      expect({ key, overlaps: overlapsWithin(runs, key) }).toEqual({ key, overlaps: 0 });
    }
    // the two keys did not wait for each other: some run of one overlaps a run of the other
    const a = runs.filter(run => run.key === 'order-a');
    const b = runs.filter(run => run.key === 'order-b');
    expect(a.some(x => b.some(y => x.start < y.end! && y.start < x.end!))).toBe(true);
  });

  kit.test('key order: events with the same metadata.key keep their order across two instances', ['orderAcrossInstances'], async c => {
    const channel = c.channel('key-order-instances');
    const runs: Run[] = [];
    await c.service(channel, { effects: [recorder(runs)] });
    await c.service(channel, { effects: [recorder(runs)] });
    const client = await c.client(channel);
    for (let n = 0; n < 6; n++) await client.emit({ type: 'Step', payload: n, metadata: { key: 'account-1' } });
    await c.waitFor(() => runs.length === 6 && runs.every(run => run.end !== undefined), 'every event to be handled', () => runs);
    expect(runs.map(run => run.n)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(overlapsWithin(runs, 'account-1')).toBe(0);
  });
};
