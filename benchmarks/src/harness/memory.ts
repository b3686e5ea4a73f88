import { sendConcurrently, SendTarget } from './drive';
import type { RunSample } from './types';

const MB = 1024 * 1024;

/** Full GCs, with turns of the event loop between them so that finished work can be freed. */
const collect = async (): Promise<void> => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    await new Promise(resolve => setImmediate(resolve));
    gc();
  }
};

/**
 * Heap after GC before and after `n` RPCs (100 in flight), and RSS: one sample per run, after
 * a warm-up of `n / 10` calls. Growth is measured run by run, so a leak shows in every run.
 */
export const measureRpcMemory = async (target: SendTarget, n: number, runs: number, deadlineMs: number): Promise<RunSample[]> => {
  await sendConcurrently(target, Math.ceil(n / 10), 100, deadlineMs);
  const samples: RunSample[] = [];
  for (let i = 0; i < runs; i++) {
    await collect();
    const before = process.memoryUsage();
    const run = await sendConcurrently(target, n, 100, deadlineMs);
    await collect();
    const after = process.memoryUsage();
    samples.push({
      ...run,
      metrics: {
        heapBefore: before.heapUsed / MB,
        heapAfter: after.heapUsed / MB,
        growth: (after.heapUsed - before.heapUsed) / MB,
        rss: after.rss / MB,
        rate: run.metrics.rate,
      },
    });
  }
  return samples;
};
