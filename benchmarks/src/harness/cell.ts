import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RunSample, SystemSpec, Workload } from './types';

type Outcome = ({ ok: true; samples: RunSample[] } | { ok: false; reason: string }) & { tag: string };

/** Unique per cell: prefix of its queues, channels and streams. */
export const cellTag = (workload: Workload, system: SystemSpec): string =>
  `bench.${workload.id}.${system.id}.${randomBytes(4).toString('hex')}`;

/**
 * Runs one cell in a child process, bounded by `timeoutMs`, and kills the child when it has
 * answered (or not): nothing it leaves running can outlive it.
 */
export const runCellProcess = (workload: Workload, system: SystemSpec, runs: number, timeoutMs: number): Promise<Outcome> =>
  new Promise(resolve => {
    const tag = cellTag(workload, system);
    const request = { workload: workload.id, system: system.id, n: system.n, runs, tag };
    const child = fork(join(__dirname, '..', 'worker.js'), [JSON.stringify(request)], {
      // BENCH_PROF=<dir> profiles every cell (node --cpu-prof), to find hot paths
      execArgv: [...(workload.gc ? ['--expose-gc'] : []), ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', chunk => {
      stderr = (stderr + String(chunk)).slice(-2000);
    });
    let done = false;
    const finish = (result: { ok: true; samples: RunSample[] } | { ok: false; reason: string }) => {
      const outcome: Outcome = { ...result, tag };
      if (done) return;
      done = true;
      clearTimeout(timer);
      // a profiled worker exits by itself, to write its profile
      if (process.env.BENCH_PROF && outcome.ok) setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      else child.kill('SIGKILL');
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `did not finish within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    child.on('message', (message: { kind: string; samples?: RunSample[]; message?: string }) => {
      if (message.kind === 'samples') finish({ ok: true, samples: message.samples! });
      else finish({ ok: false, reason: message.message ?? 'failed' });
    });
    child.on('exit', (code, signal) => {
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      finish({ ok: false, reason: `worker exited (${signal ?? code})${last ? `: ${last}` : ''}` });
    });
  });
