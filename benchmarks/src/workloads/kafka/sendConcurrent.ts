import { sendConcurrentRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { kafkaSystems, withKafkaSystem } from '../../systems/kafka';

/** Kafka: request/reply with 100 calls in flight; throughput. */
export const kafkaSendConcurrent: Workload = {
  id: 'kafka-send-concurrent',
  group: 'kafka',
  title: 'Kafka send, 100 in flight',
  metrics: [{ key: 'rate', label: 'Kafka send, 100 in flight', unit: 'ops/s', better: 'higher' }],
  systems: kafkaSystems({ tributary: 3_000, raw: 3_000, kafkajs: 2_000, nest: 1_000, moleculer: 1_000 }),
  absent: { marble: 'Marble.js 4.1 has no Kafka transport' },
  timeoutMs: 120_000,
  run: (systemId, options) => withKafkaSystem(systemId, options.tag, system => sendConcurrentRuns(system, options, 100, 30_000)),
};
