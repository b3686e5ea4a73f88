import { sendConcurrentRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, natsSystems, withNatsSystem } from '../../systems/nats';

/** NATS: RPC with 100 calls in flight; throughput. */
export const natsSendConcurrent: Workload = {
  id: 'nats-send-100',
  group: 'nats',
  title: 'NATS send, 100 in flight',
  metrics: [{ key: 'rate', label: 'NATS send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: natsSystems({ tributary: 10_000, raw: 10_000 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 90_000,
  run: (systemId, options) => withNatsSystem(systemId, options.tag, system => sendConcurrentRuns(system, options, 100, 20_000)),
};
