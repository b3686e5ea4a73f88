/**
 * `npm run bench:scale`: Tributary with 1, 2 and 4 consumer instances (each its own process)
 * on one AMQP queue and one Redis stream. Per cell: the maximum throughput (1000 emits
 * outstanding, counted at the consumers) with the p99 of emit → processed, then the p99 under
 * a fixed offered load of 50 % of that maximum. Median of 3 runs. Prints Markdown with ASCII
 * charts and writes `benchmarks/results/scale.md`.
 *
 * Options: `--runs <n>` (default 3), `--scale <x>` (multiplies the counts), `--only amqp|redis-streams`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createContext } from '@tributary/core';
import { MessagingClient } from '@tributary/messaging';
import { benchEvent } from '../harness/drive';
import { shareRabbitMq } from '../harness/brokerLock';
import { percentile, spread } from '../harness/stats';
import { deleteQueues, tributaryQueues } from '../systems/amqp';
import { deleteKeys } from '../systems/redis';
import { scaleTransport } from './transports';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('runs') ?? 3);
const SCALE = Number(arg('scale') ?? 1);
const TARGETS = ['amqp', 'redis-streams'].filter(t => !arg('only') || t === arg('only'));
const INSTANCES = [1, 2, 4];
const log = (line: string) => process.stderr.write(line + '\n');
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

interface Cell {
  target: string;
  instances: number;
  max: number[];
  maxP99: number[];
  offered: number;
  loadP99: number[];
  lost: number;
}

/** The consumers' processes and what they reported. */
class Consumers {
  latencies: number[] = [];
  private readonly children: ChildProcess[] = [];
  constructor(
    private readonly target: string,
    private readonly tag: string,
  ) {}

  async start(k: number): Promise<void> {
    await Promise.all(
      Array.from({ length: k }, () => {
        const child = fork(join(__dirname, 'consumer.js'), [this.target, this.tag], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        this.children.push(child);
        return new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('a consumer did not start within 20 s')), 20_000);
          child.on('message', (message: { kind: string; latencies?: number[]; message?: string }) => {
            if (message.kind === 'ready' || message.kind === 'error') {
              clearTimeout(timer);
              if (message.kind === 'ready') resolve();
              else reject(new Error(message.message));
            } else if (message.kind === 'latencies') for (const l of message.latencies!) this.latencies.push(l);
          });
        });
      }),
    );
  }

  /** Waits (bounded) until `n` latencies arrived; false if not. */
  async until(n: number, timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.latencies.length < n && Date.now() < end) await sleep(5);
    return this.latencies.length >= n;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        child =>
          new Promise<void>(resolve => {
            const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 5000);
            child.once('exit', () => (clearTimeout(timer), resolve()));
            child.send({ kind: 'stop' }, () => undefined);
          }),
      ),
    );
  }
}

const p99 = (values: number[]): number => percentile(Float64Array.from(values).sort(), 99);

const event = (seq: number) => {
  const e = benchEvent('OrderPlaced', seq);
  return { ...e, payload: { ...e.payload, sentAt: now() } };
};

const runCell = async (target: string, k: number, n: number): Promise<Cell> => {
  const tag = `bench.scale.${target}.${k}.${randomBytes(4).toString('hex')}`;
  const release = target === 'amqp' ? await shareRabbitMq(60_000) : undefined;
  const consumers = new Consumers(target, tag);
  const cell: Cell = { target, instances: k, max: [], maxP99: [], offered: 0, loadP99: [], lost: 0 };
  const { transport, options } = scaleTransport(target, tag);
  try {
    await consumers.start(k);
    const client = await MessagingClient({ transport, options })(createContext());
    // maximum: `count` emits with 1000 outstanding, until all are processed
    const saturate = async (count: number) => {
      consumers.latencies = [];
      const start = performance.now();
      let sent = 0;
      let failed = 0;
      await new Promise<void>(resolve => {
        let done = 0;
        const settle = () => (++done === count ? resolve() : launch());
        const launch = () => {
          while (sent < count && sent - done < 1000) client.emit(event(sent++)).then(settle, () => (failed++, settle()));
        };
        launch();
      });
      const all = await consumers.until(count - failed, 20_000);
      const elapsed = performance.now() - start;
      cell.lost += failed + (all ? 0 : count - failed - consumers.latencies.length);
      return { rate: (consumers.latencies.length / elapsed) * 1000, p99: p99(consumers.latencies) };
    };
    // fixed load: `rate` events/s for `seconds`, sent every 5 ms
    const offer = async (rate: number, seconds: number) => {
      consumers.latencies = [];
      const start = performance.now();
      let sent = 0;
      let failed = 0;
      const pending: Promise<unknown>[] = [];
      while (performance.now() - start < seconds * 1000) {
        const due = Math.floor(((performance.now() - start) / 1000) * rate);
        while (sent < due) pending.push(client.emit(event(sent++)).catch(() => failed++));
        await sleep(5);
      }
      await Promise.all(pending);
      const all = await consumers.until(sent - failed, 20_000);
      cell.lost += failed + (all ? 0 : sent - failed - consumers.latencies.length);
      return p99(consumers.latencies);
    };
    await saturate(Math.ceil(n / 10));
    for (let i = 0; i < RUNS; i++) {
      const { rate, p99: latency } = await saturate(n);
      cell.max.push(rate);
      cell.maxP99.push(latency);
    }
    cell.offered = Math.round(spread(cell.max).median / 2);
    for (let i = 0; i < RUNS; i++) cell.loadP99.push(await offer(cell.offered, 2 * Math.min(1, SCALE * 2)));
    await client.close().catch(() => undefined);
  } finally {
    await consumers.stop();
    if (target === 'amqp') await deleteQueues(tributaryQueues(tag)).catch(() => undefined);
    else await deleteKeys(tag).catch(() => undefined);
    release?.();
  }
  return cell;
};

const bar = (value: number, max: number, width = 40): string => '█'.repeat(Math.max(1, Math.round((value / max) * width)));
const fmt = (v: number, unit: string) => (unit === '/s' ? `${(v / 1000).toFixed(2)}k/s` : `${v.toFixed(1)} ms`);

const chart = (title: string, cells: Cell[], pick: (c: Cell) => number, unit: string): string[] => {
  const max = Math.max(...cells.map(pick));
  return [title, ...cells.map(c => `  ${c.target.padEnd(13)} ×${c.instances} │${bar(pick(c), max).padEnd(41)} ${fmt(pick(c), unit)}`)];
};

const main = async (): Promise<void> => {
  const started = performance.now();
  const load = loadavg().map(l => l.toFixed(2)).join(' ');
  const cells: Cell[] = [];
  for (const target of TARGETS) {
    for (const k of INSTANCES) {
      const n = Math.max(500, Math.round((target === 'amqp' ? 5000 : 10_000) * SCALE));
      log(`▸ ${target}, ${k} consumer instance(s), ${n} events per run`);
      try {
        const cell = await runCell(target, k, n);
        cells.push(cell);
        log(`    max ${cell.max.map(r => r.toFixed(0)).join(' | ')}/s, p99 ${cell.maxP99.map(r => r.toFixed(1)).join(' | ')} ms; at ${cell.offered}/s p99 ${cell.loadP99.map(r => r.toFixed(1)).join(' | ')} ms; lost ${cell.lost}`);
      } catch (error) {
        log(`    not measured: ${(error as Error).message}`);
      }
    }
  }
  const median = (values: number[]) => spread(values).median;
  const table = [
    '| target | consumer instances | max throughput | p99 at max | offered load (50 % of max) | p99 at 50 % | lost |',
    '|---|---|---|---|---|---|---|',
    ...cells.map(
      c =>
        `| ${c.target} | ${c.instances} | ${fmt(median(c.max), '/s')} (${fmt(Math.min(...c.max), '/s')}–${fmt(Math.max(...c.max), '/s')}) | ${fmt(median(c.maxP99), 'ms')} | ${fmt(c.offered, '/s')} | ${fmt(median(c.loadP99), 'ms')} (${fmt(Math.min(...c.loadP99), 'ms')}–${fmt(Math.max(...c.loadP99), 'ms')}) | ${c.lost} |`,
    ),
  ];
  const charts = [
    '```',
    ...chart('max throughput (events/s, processed)', cells, c => median(c.max), '/s'),
    '',
    ...chart('p99 emit → processed at 50 % of max (ms)', cells, c => median(c.loadP99), 'ms'),
    '```',
  ];
  const markdown = [
    `Command: \`npm run bench:scale${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` — ${new Date().toISOString()} — ${((performance.now() - started) / 1000).toFixed(0)} s — load average at start ${load} (2 cores, shared)`,
    `Median of ${RUNS} runs (min–max). Each consumer instance is its own process (a Tributary microservice, default options); one client emits.`,
    '',
    ...table,
    '',
    ...charts,
  ].join('\n');
  process.stdout.write(`\n${markdown}\n`);
  const dir = join(__dirname, '..', '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scale.md'), markdown + '\n');
};

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
