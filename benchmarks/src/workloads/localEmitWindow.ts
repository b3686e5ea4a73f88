import { emitWithWindow, repeat } from '../harness/drive';
import type { Workload } from '../harness/types';
import { localSystems, withLocalSystem } from '../systems/local';

/** Local bus: emit keeping 1000 emits outstanding; counted by the consuming effect. */
export const localEmitWindow: Workload = {
  id: 'local-emit-window',
  group: 'local',
  title: 'local emit, 1000 outstanding',
  metrics: [{ key: 'rate', label: 'local emit, 1000 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: localSystems({ tributary: 100_000, raw: 2_000_000, marble: 30_000 }),
  timeoutMs: 60_000,
  run: (systemId, { n, runs }) =>
    withLocalSystem(systemId, system =>
      repeat(
        runs,
        () => emitWithWindow(system.emit, Math.ceil(n / 10), 1000, 10_000),
        () => emitWithWindow(system.emit, n, 1000, 10_000),
      ),
    ),
};
