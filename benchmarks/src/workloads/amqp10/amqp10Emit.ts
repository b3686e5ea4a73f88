import { emitRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { AMQP10_ABSENT, amqp10Systems, withAmqp10System } from '../../systems/amqp10';

/** AMQP 1.0: emit, each accepted by the broker, 1000 outstanding, counted at the consumer (accepted after processing). */
export const amqp10Emit: Workload = {
  id: 'amqp10-emit',
  group: 'amqp10',
  title: 'AMQP 1.0 emit, counted at the consumer',
  metrics: [{ key: 'rate', label: 'AMQP 1.0 emit, accepted, 1000 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: amqp10Systems({ tributary: 20_000, raw: 20_000 }),
  absent: AMQP10_ABSENT,
  timeoutMs: 120_000,
  run: (systemId, options) => withAmqp10System(systemId, options.tag, system => emitRuns(system, options, 1000, 20_000)),
};
