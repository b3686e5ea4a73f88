import { sendConcurrentRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { AMQP10_ABSENT, amqp10Systems, withAmqp10System } from '../../systems/amqp10';

/** AMQP 1.0: RPC over a dynamic reply address with 100 calls in flight; throughput. */
export const amqp10SendConcurrent: Workload = {
  id: 'amqp10-send-concurrent',
  group: 'amqp10',
  title: 'AMQP 1.0 send, 100 in flight',
  metrics: [{ key: 'rate', label: 'AMQP 1.0 send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: amqp10Systems({ tributary: 5_000, raw: 5_000 }),
  absent: AMQP10_ABSENT,
  timeoutMs: 120_000,
  run: (systemId, options) => withAmqp10System(systemId, options.tag, system => sendConcurrentRuns(system, options, 100, 20_000)),
};
