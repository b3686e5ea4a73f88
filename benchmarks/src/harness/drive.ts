import { performance } from 'node:perf_hooks';
import { percentile } from './stats';
import type { RunOptions, RunSample } from './types';

/** A small JSON event (~120 bytes encoded), the same for every system. */
export interface BenchEvent {
  type: string;
  payload: { seq: number; orderId: string; customer: string; amount: number; currency: string; sku: string };
  metadata?: Record<string, any>;
}

export const benchEvent = (type: string, seq: number): BenchEvent => ({
  type,
  payload: { seq, orderId: `ord-${seq}`, customer: 'c-1042', amount: 99.95, currency: 'EUR', sku: 'SKU-4711' },
});

/** Counts events processed by a consumer and wakes whoever waits for a count. */
export class Counter {
  count = 0;
  private goal = Infinity;
  private wake?: () => void;

  hit(): void {
    if (++this.count >= this.goal && this.wake) {
      const wake = this.wake;
      this.wake = undefined;
      this.goal = Infinity;
      wake();
    }
  }

  /** Resolves true once `goal` is reached, false after `timeoutMs`. */
  until(goal: number, timeoutMs: number): Promise<boolean> {
    if (this.count >= goal) return Promise.resolve(true);
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        this.goal = Infinity;
        resolve(false);
      }, timeoutMs);
      this.goal = goal;
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

/** Something events are emitted to, and the consumer's counter. */
export interface EmitTarget {
  /** Resolves once the bus / broker took the event. */
  emit?(event: BenchEvent): Promise<unknown>;
  /** For the raw RxJS pipeline: there is nothing to await. */
  emitSync?(event: BenchEvent): void;
  readonly processed: Counter;
  /** Extra wait after the count is reached (streams: until nothing is pending XACK). */
  settled?(): Promise<void>;
}

/** Something that answers requests. */
export interface SendTarget {
  send(event: BenchEvent): Promise<{ payload?: any } | undefined>;
}

/** A running implementation of the benchmark service and its client. */
export interface BenchSystem {
  readonly emit: EmitTarget;
  readonly send: SendTarget;
  close(): Promise<void>;
}

/** Starts a system, runs `fn` on it, closes it (bounded: a hanging close does not hold the run). */
export const withSystem = async <T>(start: () => Promise<BenchSystem>, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const system = await start();
  try {
    return await fn(system);
  } finally {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([system.close().catch(() => undefined), new Promise(resolve => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
  }
};

const isReplyTo = (reply: { payload?: any } | undefined, seq: number): boolean => reply?.payload?.seq === seq;

/** Emits `n` events in batches, awaiting each batch, then waits until the consumer counted them all. */
export const emitInBatches = async (target: EmitTarget, n: number, batch: number, drainMs: number): Promise<RunSample> => {
  const base = target.processed.count;
  let failed = 0;
  const onFail = () => {
    failed++;
  };
  const start = performance.now();
  for (let i = 0; i < n; i += batch) {
    const size = Math.min(batch, n - i);
    if (target.emitSync) {
      for (let j = 0; j < size; j++) target.emitSync(benchEvent('OrderPlaced', i + j));
      await Promise.resolve();
    } else {
      const pending = new Array<Promise<unknown>>(size);
      for (let j = 0; j < size; j++) pending[j] = target.emit!(benchEvent('OrderPlaced', i + j)).catch(onFail);
      await Promise.all(pending);
    }
  }
  return finishEmit(target, n, base, failed, start, drainMs);
};

/** Emits `n` events keeping `window` emits outstanding, then waits until the consumer counted them all. */
export const emitWithWindow = async (target: EmitTarget, n: number, window: number, drainMs: number): Promise<RunSample> => {
  if (target.emitSync) return emitInBatches(target, n, window, drainMs);
  const base = target.processed.count;
  let failed = 0;
  const start = performance.now();
  await new Promise<void>(resolve => {
    let started = 0;
    let done = 0;
    const settle = () => {
      if (++done === n) resolve();
      else launch();
    };
    const fail = () => {
      failed++;
      settle();
    };
    const launch = () => {
      while (started < n && started - done < window) target.emit!(benchEvent('OrderPlaced', started++)).then(settle, fail);
    };
    launch();
  });
  return finishEmit(target, n, base, failed, start, drainMs);
};

const finishEmit = async (target: EmitTarget, n: number, base: number, failed: number, start: number, drainMs: number): Promise<RunSample> => {
  await target.processed.until(base + n - failed, drainMs);
  if (target.settled) await target.settled();
  const elapsedMs = performance.now() - start;
  const ok = Math.min(n, target.processed.count - base);
  return { metrics: { rate: (ok / elapsedMs) * 1000 }, ok, failed, lost: Math.max(0, n - failed - ok), elapsedMs };
};

/** `n` request/reply calls one after the other: latency percentiles. */
export const sendSequentially = async (target: SendTarget, n: number, deadlineMs: number): Promise<RunSample> => {
  const latencies = new Float64Array(n);
  let ok = 0;
  let failed = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>(resolve => (timer = setTimeout(() => resolve('deadline'), deadlineMs)));
  const start = performance.now();
  let i = 0;
  for (; i < n; i++) {
    const t0 = performance.now();
    try {
      const reply = await Promise.race([target.send(benchEvent('Ping', i)), deadline]);
      if (reply === 'deadline') break;
      latencies[ok] = performance.now() - t0;
      if (isReplyTo(reply, i)) ok++;
      else failed++;
    } catch {
      failed++;
    }
  }
  clearTimeout(timer);
  const elapsedMs = performance.now() - start;
  const sorted = latencies.subarray(0, ok).sort();
  return {
    metrics: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), rate: (ok / elapsedMs) * 1000 },
    ok,
    failed,
    lost: n - ok - failed,
    elapsedMs,
  };
};

/** `n` request/reply calls keeping `inFlight` outstanding: throughput. */
export const sendConcurrently = async (target: SendTarget, n: number, inFlight: number, deadlineMs: number): Promise<RunSample> => {
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  await new Promise<void>(resolve => {
    let started = 0;
    let done = 0;
    const timer = setTimeout(resolve, deadlineMs);
    const finish = () => {
      if (++done === n) {
        clearTimeout(timer);
        resolve();
      } else launch();
    };
    const launch = () => {
      while (started < n && started - done < inFlight) {
        const seq = started++;
        target.send(benchEvent('Ping', seq)).then(
          reply => {
            if (isReplyTo(reply, seq)) ok++;
            else failed++;
            finish();
          },
          () => {
            failed++;
            finish();
          },
        );
      }
    };
    launch();
  });
  const elapsedMs = performance.now() - start;
  return { metrics: { rate: (ok / elapsedMs) * 1000 }, ok, failed, lost: n - ok - failed, elapsedMs };
};

/**
 * A warm-up run (not reported), then `runs` measured ones. Each sample also gets `cpu`: the CPU
 * time of this process (client and service both run in it) per completed operation, in µs — the
 * framework's own cost, which a loaded machine moves far less than wall-clock figures.
 */
export const repeat = async (runs: number, warmUp: () => Promise<unknown>, measure: () => Promise<RunSample>): Promise<RunSample[]> => {
  await warmUp();
  const samples: RunSample[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    const sample = await measure();
    const used = process.cpuUsage(before);
    // none completed: no figure (NaN would cross the parent's IPC as null)
    samples.push(sample.ok > 0 ? { ...sample, metrics: { ...sample.metrics, cpu: (used.user + used.system) / sample.ok } } : sample);
  }
  return samples;
};

/** An emit workload's runs: a warm-up of a tenth of `n`, then `runs` of `n` emits with `window` outstanding. */
export const emitRuns = (system: BenchSystem, { n, runs }: RunOptions, window: number, drainMs: number): Promise<RunSample[]> =>
  repeat(
    runs,
    () => emitWithWindow(system.emit, Math.ceil(n / 10), window, drainMs),
    () => emitWithWindow(system.emit, n, window, drainMs),
  );

/** A sequential send workload's runs: a warm-up of a tenth of `n`, then `runs` of `n` calls one at a time. */
export const sendSequentialRuns = (system: BenchSystem, { n, runs }: RunOptions, deadlineMs: number): Promise<RunSample[]> =>
  repeat(
    runs,
    () => sendSequentially(system.send, Math.ceil(n / 10), deadlineMs),
    () => sendSequentially(system.send, n, deadlineMs),
  );

/** A concurrent send workload's runs: a warm-up of a tenth of `n`, then `runs` of `n` calls, `inFlight` at a time. */
export const sendConcurrentRuns = (system: BenchSystem, { n, runs }: RunOptions, inFlight: number, deadlineMs: number): Promise<RunSample[]> =>
  repeat(
    runs,
    () => sendConcurrently(system.send, Math.ceil(n / 10), inFlight, deadlineMs),
    () => sendConcurrently(system.send, n, inFlight, deadlineMs),
  );
