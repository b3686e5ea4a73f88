import { measureRpcMemory } from '../harness/memory';
import type { Workload } from '../harness/types';
import { localSystems, withLocalSystem } from '../systems/local';

/** Heap after GC before/after 100,000 local RPCs (100 in flight), and RSS. */
export const memoryLocal: Workload = {
  id: 'memory-local-100k',
  group: 'memory',
  title: 'memory, 100,000 local RPCs',
  metrics: [
    { key: 'growth', label: 'heap growth after GC, 100k local RPCs', unit: 'MB', better: 'lower', ratio: false },
    { key: 'heapAfter', label: 'heap after GC, 100k local RPCs', unit: 'MB', better: 'lower', ratio: false },
    { key: 'rss', label: 'RSS after 100k local RPCs', unit: 'MB', better: 'lower', ratio: false },
  ],
  systems: localSystems({ tributary: 100_000, raw: 100_000, marble: 100_000 }),
  gc: true,
  timeoutMs: 120_000,
  run: (systemId, { n, runs }) => withLocalSystem(systemId, system => measureRpcMemory(system.send, n, runs, 60_000)),
};
