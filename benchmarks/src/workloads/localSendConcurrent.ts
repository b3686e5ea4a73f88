import { repeat, sendConcurrently } from '../harness/drive';
import type { Workload } from '../harness/types';
import { localSystems, withLocalSystem } from '../systems/local';

/** Local bus: request/reply with 100 calls in flight; throughput. */
export const localSendConcurrent: Workload = {
  id: 'local-send-100',
  group: 'local',
  title: 'local send, 100 in flight',
  metrics: [{ key: 'rate', label: 'local send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: localSystems({ tributary: 50_000, raw: 500_000, marble: 20_000 }),
  timeoutMs: 90_000,
  run: (systemId, { n, runs }) =>
    withLocalSystem(systemId, system =>
      repeat(
        runs,
        () => sendConcurrently(system.send, Math.ceil(n / 10), 100, 20_000),
        () => sendConcurrently(system.send, n, 100, 20_000),
      ),
    ),
};
