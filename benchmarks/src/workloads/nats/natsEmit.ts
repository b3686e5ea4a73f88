import { emitWithWindow, repeat } from '../../harness/drive';
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
  run: (systemId, { n, runs, tag }) =>
    withNatsSystem(systemId, tag, system =>
      repeat(
        runs,
        () => emitWithWindow(system.emit, Math.ceil(n / 10), 1000, 15_000),
        () => emitWithWindow(system.emit, n, 1000, 15_000),
      ),
    ),
};
