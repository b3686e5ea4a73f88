import { emitInBatches, repeat } from '../harness/drive';
import type { Workload } from '../harness/types';
import { localSystems, withLocalSystem } from '../systems/local';

/** Local bus: emit in batches of 1000, each batch awaited; counted by the consuming effect. */
export const localEmitBatches: Workload = {
  id: 'local-emit-batches',
  group: 'local',
  title: 'local emit, batches of 1000 awaited',
  metrics: [{ key: 'rate', label: 'local emit, batches of 1000 awaited', unit: 'ops/s', better: 'higher' }],
  systems: localSystems({ tributary: 100_000, raw: 2_000_000, marble: 30_000 }),
  timeoutMs: 60_000,
  run: (systemId, { n, runs }) =>
    withLocalSystem(systemId, system =>
      repeat(
        runs,
        () => emitInBatches(system.emit, Math.ceil(n / 10), 1000, 10_000),
        () => emitInBatches(system.emit, n, 1000, 10_000),
      ),
    ),
};
