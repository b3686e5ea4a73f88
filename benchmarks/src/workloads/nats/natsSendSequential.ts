import { sendSequentialRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, natsSystems, withNatsSystem } from '../../systems/nats';

/** NATS: RPC one call at a time; latency percentiles. */
export const natsSendSequential: Workload = {
  id: 'nats-send-sequential',
  group: 'nats',
  title: 'NATS send, sequential',
  metrics: [
    { key: 'p50', label: 'NATS send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'NATS send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: natsSystems({ tributary: 2_000, raw: 2_000 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 90_000,
  run: (systemId, options) => withNatsSystem(systemId, options.tag, system => sendSequentialRuns(system, options, 20_000)),
};
