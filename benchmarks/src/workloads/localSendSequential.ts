import { repeat, sendSequentially } from '../harness/drive';
import type { Workload } from '../harness/types';
import { localSystems, withLocalSystem } from '../systems/local';

/** Local bus: request/reply one call at a time; latency percentiles. */
export const localSendSequential: Workload = {
  id: 'local-send-sequential',
  group: 'local',
  title: 'local send, sequential',
  metrics: [
    { key: 'p50', label: 'local send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'local send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: localSystems({ tributary: 20_000, raw: 100_000, marble: 10_000 }),
  timeoutMs: 90_000,
  run: (systemId, { n, runs }) =>
    withLocalSystem(systemId, system =>
      repeat(
        runs,
        () => sendSequentially(system.send, Math.ceil(n / 10), 20_000),
        () => sendSequentially(system.send, n, 20_000),
      ),
    ),
};
