import { emitRuns } from '../harness/drive';
import type { Workload } from '../harness/types';
import { redisSystems, withRedisSystem } from '../systems/redis';

/** Redis pub/sub: emit, 1000 outstanding, counted at the subscriber. */
export const redisEmit: Workload = {
  id: 'redis-emit',
  group: 'redis',
  title: 'Redis pub/sub emit, counted at the subscriber',
  metrics: [{ key: 'rate', label: 'Redis pub/sub emit, 1000 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: redisSystems({ tributary: 20_000, raw: 30_000, marble: 20_000, nest: 10_000, moleculer: 10_000 }),
  timeoutMs: 90_000,
  run: (systemId, options) => withRedisSystem(systemId, options.tag, system => emitRuns(system, options, 1000, 15_000)),
};
