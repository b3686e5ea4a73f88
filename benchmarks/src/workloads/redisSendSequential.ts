import { sendSequentialRuns } from '../harness/drive';
import type { Workload } from '../harness/types';
import { redisSystems, withRedisSystem } from '../systems/redis';

/** Redis pub/sub: RPC one call at a time; latency percentiles. */
export const redisSendSequential: Workload = {
  id: 'redis-send-sequential',
  group: 'redis',
  title: 'Redis pub/sub send, sequential',
  metrics: [
    { key: 'p50', label: 'Redis pub/sub send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'Redis pub/sub send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: redisSystems({ tributary: 2_000, raw: 2_000, marble: 1_000 }),
  timeoutMs: 90_000,
  run: (systemId, options) => withRedisSystem(systemId, options.tag, system => sendSequentialRuns(system, options, 20_000)),
};
