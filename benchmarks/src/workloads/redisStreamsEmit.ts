import { emitWithWindow, repeat } from '../harness/drive';
import type { Workload } from '../harness/types';
import { redisStreamsSystems, withRedisSystem } from '../systems/redis';

/** Redis streams: emit (XADD), 1000 outstanding, until processed and XACKed (nothing pending). */
export const redisStreamsEmit: Workload = {
  id: 'redis-streams-emit',
  group: 'redis',
  title: 'Redis streams emit → processed → XACK',
  metrics: [{ key: 'rate', label: 'Redis streams emit → processed → XACK', unit: 'ops/s', better: 'higher' }],
  systems: redisStreamsSystems({ tributary: 20_000, raw: 20_000 }),
  absent: { marble: 'Marble.js has no Redis streams' },
  timeoutMs: 90_000,
  run: (systemId, { n, runs, tag }) =>
    withRedisSystem(systemId, tag, system =>
      repeat(
        runs,
        () => emitWithWindow(system.emit, Math.ceil(n / 10), 1000, 15_000),
        () => emitWithWindow(system.emit, n, 1000, 15_000),
      ),
    ),
};
