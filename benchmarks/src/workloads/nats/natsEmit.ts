import { emitRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { MARBLE_ABSENT, natsSystems, withNatsSystem } from '../../systems/nats';

/** NATS: emit, 1000 outstanding, each awaited as the system's emit resolves; counted at the consumer. */
export const natsEmit: Workload = {
  id: 'nats-emit',
  group: 'nats',
  title: 'NATS emit, counted at the consumer',
  metrics: [{ key: 'rate', label: 'NATS emit, 1000 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: natsSystems({ tributary: 10_000, raw: 10_000 }),
  absent: { marble: MARBLE_ABSENT },
  timeoutMs: 90_000,
  run: (systemId, options) => withNatsSystem(systemId, options.tag, system => emitRuns(system, options, 1000, 15_000)),
};
