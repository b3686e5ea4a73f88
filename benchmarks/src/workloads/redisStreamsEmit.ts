import { emitRuns } from '../harness/drive';
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
  run: (systemId, options) => withRedisSystem(systemId, options.tag, system => emitRuns(system, options, 1000, 15_000)),
};
