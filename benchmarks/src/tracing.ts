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

/** Emits/s per mode: the modes take turns run after run, so that machine noise hits them alike. */
const measure = async (label: string, system: BenchSystem, n: number): Promise<Record<Mode, number>> => {
  const rates: Record<Mode, number[]> = { off: [], dropped: [], recorded: [] };
  for (const mode of MODES) {
    await use(mode);
    await emitWithWindow(system.emit!, Math.ceil(n / 5), 1000, 10_000); // warm-up
  }
  for (let run = 0; run < RUNS; run++) {
    for (const mode of run % 2 ? [...MODES].reverse() : MODES) {
      await use(mode);
      const sample = await emitWithWindow(system.emit!, n, 1000, 30_000);
      if (sample.lost > 0 || sample.failed > 0) throw new Error(`${label} ${mode}: ${sample.lost} lost, ${sample.failed} failed`);
      rates[mode].push(sample.metrics.rate);
    }
  }
  await use('off');
  const result = { off: median(rates.off), dropped: median(rates.dropped), recorded: median(rates.recorded) };
  const ratio = (mode: Mode) => `${(result[mode] / result.off).toFixed(3)}× (${(((result.off - result[mode]) / result.off) * 100).toFixed(1)} % overhead)`;
  console.log(`${label}: emit, 1000 outstanding, n=${n}, median of ${RUNS}`);
  for (const mode of MODES) console.log(`  ${mode.padEnd(9)} ${Math.round(result[mode]).toLocaleString('en').padStart(9)} emits/s${mode === 'off' ? '' : `  ${ratio(mode)}`}`);
  const overhead = (result.off - result.dropped) / result.off;
  console.log(`  target: tracing on with a sampler that drops everything ≤ 10 % overhead: ${overhead <= 0.1 ? 'met' : 'NOT met'}`);
  return result;
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
