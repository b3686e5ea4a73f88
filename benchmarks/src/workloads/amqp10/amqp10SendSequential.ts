import { sendSequentialRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { AMQP10_ABSENT, amqp10Systems, withAmqp10System } from '../../systems/amqp10';

/** AMQP 1.0: RPC over a dynamic reply address, one call at a time; latency percentiles. */
export const amqp10SendSequential: Workload = {
  id: 'amqp10-send-sequential',
  group: 'amqp10',
  title: 'AMQP 1.0 send, sequential',
  metrics: [
    { key: 'p50', label: 'AMQP 1.0 send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'AMQP 1.0 send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: amqp10Systems({ tributary: 2_000, raw: 2_000 }),
  absent: AMQP10_ABSENT,
  timeoutMs: 120_000,
  run: (systemId, options) => withAmqp10System(systemId, options.tag, system => sendSequentialRuns(system, options, 20_000)),
};
