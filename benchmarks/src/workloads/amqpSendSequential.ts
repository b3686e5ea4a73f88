import { sendSequentialRuns } from '../harness/drive';
import type { Workload } from '../harness/types';
import { amqpSystems, withAmqpSystem } from '../systems/amqp';

/** AMQP: RPC one call at a time; latency percentiles. */
export const amqpSendSequential: Workload = {
  id: 'amqp-send-sequential',
  group: 'amqp',
  title: 'AMQP send, sequential',
  metrics: [
    { key: 'p50', label: 'AMQP send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'AMQP send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: amqpSystems({ tributary: 1_000, raw: 1_000, marble: 200 }),
  retryOnce: true,
  usesRabbitMq: true,
  timeoutMs: 90_000,
  run: (systemId, options) => withAmqpSystem(systemId, options.tag, system => sendSequentialRuns(system, options, 20_000)),
};
