/**
 * `npm run bench`: every workload three ways (Tributary, the raw client, Marble.js 4.1.0),
 * each system in its own child process, median of 3 runs with min/max. Prints the table
 * and the targets, writes `benchmarks/results/latest.json` and `latest.md`.
 *
 * Options: `--only <text>` runs the workloads whose id contains it; `--system <id>` runs only that
 * system (`tributary`, `raw`, `marble`, `nest`, `moleculer`); `--runs <n>`;
 * `--scale <x>` multiplies every operation count (quick looks: `--scale 0.1`);
 * `--budget <s>` total time allowed (default 1500 s; cells past it are "not measured").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBenchMosquitto } from './harness/benchMosquitto';
import { runCellProcess } from './harness/cell';
import { shareRabbitMq } from './harness/brokerLock';
import { AMQP_URL, environment, machine, portOpen, probeEnvironment } from './harness/environment';
import { buildRows, renderCpuTable, renderNotMeasured, renderTable } from './harness/report';
import { checkTargets, renderTargets } from './harness/targets';
import type { CellResult, SystemSpec, Workload } from './harness/types';
import { deleteQueues, tributaryQueues } from './systems/amqp';
import { WORKLOADS } from './workloads';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const RUNS = Number(arg('runs') ?? 3);
const SCALE = Number(arg('scale') ?? 1);
const BUDGET_MS = Number(arg('budget') ?? 1500) * 1000;
const ONLY = arg('only');
const SYSTEM = arg('system');

const log = (line: string) => process.stderr.write(line + '\n');

/** Queues of RabbitMQ cells, deleted at the end in case a cell could not (a broker restart in the middle). */
const amqpTags: string[] = [];

const sweepQueues = async (): Promise<void> => {
  if (amqpTags.length === 0 || environment.rabbitmq) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    deleteQueues(amqpTags.flatMap(tributaryQueues)).catch(error => log(`could not delete the benchmark queues: ${(error as Error).message}`)),
    new Promise(resolve => (timer = setTimeout(resolve, 10_000))),
  ]);
  clearTimeout(timer);
};

const runCell = async (workload: Workload, spec: SystemSpec, deadline: number): Promise<CellResult> => {
  const system = { ...spec, n: Math.max(100, Math.round(spec.n * SCALE)) };
  const base = { workload: workload.id, system: system.id, side: system.side, label: system.label, n: system.n, breakdown: system.breakdown };
  const unavailable = system.unavailable?.();
  if (unavailable) return { ...base, status: 'not-measured', reason: unavailable, samples: [], wallMs: 0 };
  const started = performance.now();
  const left = deadline - started;
  if (left < 5000) return { ...base, status: 'not-measured', reason: 'the time budget of the run was spent', samples: [], wallMs: 0 };
  const release = workload.usesRabbitMq ? await shareRabbitMq(Math.min(60_000, left / 2)) : undefined;
  let outcome;
  try {
    outcome = await runCellProcess(workload, system, RUNS, Math.min(workload.timeoutMs, deadline - performance.now()));
    if (workload.usesRabbitMq) amqpTags.push(outcome.tag);
    if (!outcome.ok && workload.retryOnce && deadline - performance.now() > 5000) {
      log(`    ${workload.id} / ${system.id}: ${outcome.reason}; retrying once`);
      // a restarted broker: wait (bounded) until it answers again
      for (let i = 0; i < 60 && (await portOpen(AMQP_URL, 5672)) !== undefined; i++) await new Promise(resolve => setTimeout(resolve, 1000));
      outcome = await runCellProcess(workload, system, RUNS, Math.min(workload.timeoutMs, deadline - performance.now()));
      amqpTags.push(outcome.tag);
    }
  } finally {
    release?.();
  }
  const wallMs = performance.now() - started;
  return outcome.ok
    ? { ...base, status: 'ok', samples: outcome.samples, wallMs }
    : { ...base, status: 'not-measured', reason: outcome.reason, samples: [], wallMs };
};

const main = async (): Promise<void> => {
  const start = performance.now();
  const deadline = start + BUDGET_MS;
  const workloads = WORKLOADS.filter(w => !ONLY || w.id.includes(ONLY));
  // MQTT cells use a Mosquitto of their own with TCP_NODELAY (see harness/benchMosquitto.ts),
  // unless MQTT_URL names a broker; the cells' processes inherit the address
  let mosquitto: { stop(): void } | undefined;
  if (!process.env.MQTT_URL && workloads.some(w => w.group === 'mqtt')) {
    const started = await startBenchMosquitto();
    if (typeof started === 'string') environment.notes.push(`MQTT cells ran on the machine's Mosquitto (1883, set_tcp_nodelay off): ${started}`);
    else {
      mosquitto = started;
      process.env.MQTT_URL = started.url;
      environment.notes.push(`MQTT cells ran on a Mosquitto of the benchmark's own (${started.url}, set_tcp_nodelay true, no persistence)`);
    }
  }
  await probeEnvironment();
  const cells: CellResult[] = [];
  for (const workload of workloads) {
    log(`▸ ${workload.title}`);
    for (const system of workload.systems.filter(s => !SYSTEM || s.id === SYSTEM)) {
      const cell = await runCell(workload, system, deadline);
      cells.push(cell);
      const lost = cell.samples.reduce((sum, s) => sum + s.lost + s.failed, 0);
      const figures = cell.samples.map(s => Object.entries(s.metrics).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(v < 10 ? 3 : 0) : String(v)}`).join(' ')).join(' | ');
      log(`    ${system.id.padEnd(13)} ${cell.status === 'ok' ? `${figures}${lost ? `  lost/failed=${lost}` : ''}` : `not measured: ${cell.reason}`}  (${(cell.wallMs / 1000).toFixed(1)} s)`);
    }
  }
  await sweepQueues();
  mosquitto?.stop();
  const rows = buildRows(workloads, cells);
  const checks = checkTargets(rows, cells);
  const table = renderTable(rows);
  const cpuTable = renderCpuTable(workloads, cells);
  const notMeasured = renderNotMeasured(cells);
  const info = machine();
  const totalS = (performance.now() - start) / 1000;
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const markdown = [
    `Command: \`${command}\` — ${new Date().toISOString()} — ${totalS.toFixed(0)} s`,
    `Machine: ${Object.entries(info).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    `Median of ${RUNS} runs (min–max) after one warm-up run. "vs raw" / "vs best peer" (the fastest of Marble.js, NestJS, Moleculer) are speed ratios: throughput ratio, or the inverse latency ratio; above 1 Tributary is faster.`,
    '',
    table,
    '',
    ...(cpuTable ? [cpuTable, ''] : []),
    ...(notMeasured.length ? ['Not measured:', ...notMeasured, ''] : []),
    ...(environment.notes.length ? ['Notes:', ...environment.notes.map(note => `- ${note}`), ''] : []),
    renderTargets(checks),
  ].join('\n');
  process.stdout.write(`\n${markdown}\n`);
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), markdown + '\n');
  writeFileSync(
    join(dir, 'latest.json'),
    JSON.stringify({ date: new Date().toISOString(), command, machine: info, runs: RUNS, scale: SCALE, seconds: totalS, environment, rows, cells, targets: checks }, null, 2) + '\n',
  );
  log(`\nWrote benchmarks/results/latest.json and latest.md (${totalS.toFixed(0)} s).`);
};

main().catch(error => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
