import { sendConcurrentRuns } from '../harness/drive';
import type { Workload } from '../harness/types';
import { redisSystems, withRedisSystem } from '../systems/redis';

/** Redis pub/sub: RPC with 100 calls in flight; throughput. */
export const redisSendConcurrent: Workload = {
  id: 'redis-send-100',
  group: 'redis',
  title: 'Redis pub/sub send, 100 in flight',
  metrics: [{ key: 'rate', label: 'Redis pub/sub send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: redisSystems({ tributary: 20_000, raw: 20_000, marble: 2_000, nest: 5_000, moleculer: 5_000 }),
  timeoutMs: 90_000,
  run: (systemId, options) => withRedisSystem(systemId, options.tag, system => sendConcurrentRuns(system, options, 100, 20_000)),
};
