/**
 * `npm run bench:tracing -w @tributary/benchmarks`: the cost of OpenTelemetry tracing on
 * emit throughput, the same service and client measured in three modes, interleaved:
 *
 * - `off`: `@opentelemetry/api` installed, no provider registered (the no-op path);
 * - `dropped`: a tracer provider whose sampler drops everything, with the async context
 *   manager and the W3C propagators (spans are made non-recording; the context is still
 *   propagated): the target is ≤ 10 % below `off`;
 * - `recorded`: every span recorded (to a processor that drops it), for information.
 *
 * Options: `--runs <n>` (default 5) `--n <emits>` (local, default 100 000) `--amqp` also on
 * RabbitMQ (`--amqp-n`, default 5 000).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { shareRabbitMq } from './harness/brokerLock';
import { BenchSystem, emitWithWindow } from './harness/drive';
import { tributaryAmqp } from './systems/amqp';
import { tributaryLocalMicroservice } from './systems/local';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('runs') ?? 5);
const N = Number(arg('n') ?? 100_000);
const AMQP_N = Number(arg('amqp-n') ?? 5_000);

type Mode = 'off' | 'dropped' | 'recorded';
const MODES: readonly Mode[] = ['off', 'dropped', 'recorded'];

let provider: BasicTracerProvider | undefined;

const use = async (mode: Mode): Promise<void> => {
  if (provider) {
    await provider.shutdown();
    provider = undefined;
    trace.disable();
    context.disable();
    propagation.disable();
  }
  if (mode === 'off') return;
  provider = new BasicTracerProvider({ sampler: mode === 'dropped' ? new AlwaysOffSampler() : new AlwaysOnSampler(), spanProcessors: [new NoopSpanProcessor()] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Emits/s and CPU time per emit, per mode: the modes take turns run after run, so that the
 * noise of a shared machine hits them alike. CPU time (this process, user + system) is the
 * steadier of the two when other processes compete for the cores.
 */
const measure = async (label: string, system: BenchSystem, n: number): Promise<void> => {
  const rates: Record<Mode, number[]> = { off: [], dropped: [], recorded: [] };
  const cpu: Record<Mode, number[]> = { off: [], dropped: [], recorded: [] };
  for (const mode of MODES) {
    await use(mode);
    await emitWithWindow(system.emit!, Math.ceil(n / 5), 1000, 10_000); // warm-up
  }
  for (let run = 0; run < RUNS; run++) {
    for (const mode of run % 2 ? [...MODES].reverse() : MODES) {
      await use(mode);
      const before = process.cpuUsage();
      const sample = await emitWithWindow(system.emit!, n, 1000, 30_000);
      const used = process.cpuUsage(before);
      if (sample.lost > 0 || sample.failed > 0) throw new Error(`${label} ${mode}: ${sample.lost} lost, ${sample.failed} failed`);
      rates[mode].push(sample.metrics.rate);
      cpu[mode].push(((used.user + used.system) * 1000) / n);
    }
  }
  await use('off');
  const rate = (mode: Mode) => median(rates[mode]);
  const ns = (mode: Mode) => median(cpu[mode]);
  console.log(`${label}: emit, 1000 outstanding, n=${n}, median of ${RUNS}`);
  for (const mode of MODES) {
    const vs = mode === 'off' ? '' : `  throughput ${(rate(mode) / rate('off')).toFixed(3)}×, CPU per emit ${(ns(mode) / ns('off')).toFixed(3)}×`;
    console.log(`  ${mode.padEnd(9)} ${Math.round(rate(mode)).toLocaleString('en').padStart(9)} emits/s ${Math.round(ns(mode)).toLocaleString('en').padStart(7)} ns CPU/emit${vs}`);
  }
  const overhead = Math.max(1 - rate('dropped') / rate('off'), ns('dropped') / ns('off') - 1);
  console.log(`  target (sampler dropping everything ≤ 10 % overhead): ${(overhead * 100).toFixed(1)} % — ${overhead <= 0.1 ? 'met' : 'NOT met'}`);
};

const main = async (): Promise<void> => {
  const local = await tributaryLocalMicroservice();
  try {
    await measure('local bus', local, N);
  } finally {
    await local.close();
  }
  if (process.argv.includes('--amqp')) {
    const release = await shareRabbitMq(60_000);
    const amqp = await tributaryAmqp(`bench.tracing.${randomUUID().slice(0, 8)}`);
    try {
      await measure('RabbitMQ', amqp, AMQP_N);
    } finally {
      await amqp.close();
      release();
    }
  }
};

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
