import { emitRuns } from '../harness/drive';
import type { Workload } from '../harness/types';
import { amqpSystems, withAmqpSystem } from '../systems/amqp';

/** AMQP: emit with publisher confirms, 1000 outstanding, counted at the (acking) consumer. */
export const amqpEmit: Workload = {
  id: 'amqp-emit',
  group: 'amqp',
  title: 'AMQP emit, confirmed, counted at the consumer',
  metrics: [{ key: 'rate', label: 'AMQP emit, confirms, 1000 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: amqpSystems({ tributary: 10_000, raw: 10_000, marble: 2_000, nest: 4_000, moleculer: 5_000 }),
  retryOnce: true,
  usesRabbitMq: true,
  timeoutMs: 90_000,
  run: (systemId, options) => withAmqpSystem(systemId, options.tag, system => emitRuns(system, options, 1000, 15_000)),
};
