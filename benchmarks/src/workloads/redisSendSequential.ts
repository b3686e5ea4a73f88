import { repeat, sendSequentially } from '../harness/drive';
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
  run: (systemId, { n, runs, tag }) =>
    withRedisSystem(systemId, tag, system =>
      repeat(
        runs,
        () => sendSequentially(system.send, Math.ceil(n / 10), 20_000),
        () => sendSequentially(system.send, n, 20_000),
      ),
    ),
};
