import { sendConcurrentRuns } from '../harness/drive';
import type { Workload } from '../harness/types';
import { amqpSystems, withAmqpSystem } from '../systems/amqp';

/** AMQP: RPC with 100 calls in flight; throughput. */
export const amqpSendConcurrent: Workload = {
  id: 'amqp-send-100',
  group: 'amqp',
  title: 'AMQP send, 100 in flight',
  metrics: [{ key: 'rate', label: 'AMQP send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: amqpSystems({ tributary: 10_000, raw: 10_000, marble: 1_000, nest: 4_000, moleculer: 5_000 }),
  retryOnce: true,
  usesRabbitMq: true,
  timeoutMs: 90_000,
  run: (systemId, options) => withAmqpSystem(systemId, options.tag, system => sendConcurrentRuns(system, options, 100, 20_000)),
};
