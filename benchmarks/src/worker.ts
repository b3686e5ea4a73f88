/**
 * One cell of the benchmark (a workload × a system), in its own process: the parent forks
 * it, reads the samples it sends, and kills it (Marble.js leaves timers running after close).
 */
import { WORKLOADS } from './workloads';
import type { RunOptions } from './harness/types';

interface CellRequest extends RunOptions {
  workload: string;
  system: string;
}

const main = async (): Promise<void> => {
  const request = JSON.parse(process.argv[2]) as CellRequest;
  const workload = WORKLOADS.find(w => w.id === request.workload);
  if (!workload) throw new Error(`unknown workload "${request.workload}"`);
  const samples = await workload.run(request.system, request);
  process.send!({ kind: 'samples', samples }, () => {
    // --cpu-prof writes its profile on a normal exit only
    if (process.env.BENCH_PROF) process.exit(0);
  });
};

main().catch(error => {
  const err = error instanceof Error ? error : new Error(String(error));
  process.send!({ kind: 'error', message: `${err.name}: ${err.message}`, stack: err.stack });
});
