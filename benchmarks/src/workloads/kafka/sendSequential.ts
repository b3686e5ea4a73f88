import { sendSequentialRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { kafkaSystems, withKafkaSystem } from '../../systems/kafka';

/** Kafka: request/reply one call at a time over a reply topic; latency percentiles. */
export const kafkaSendSequential: Workload = {
  id: 'kafka-send-sequential',
  group: 'kafka',
  title: 'Kafka send, sequential',
  metrics: [
    { key: 'p50', label: 'Kafka send, sequential p50', unit: 'ms', better: 'lower' },
    { key: 'p99', label: 'Kafka send, sequential p99', unit: 'ms', better: 'lower' },
  ],
  systems: kafkaSystems({ tributary: 1_000, raw: 1_000, kafkajs: 500, nest: 400, moleculer: 1_000 }),
  absent: { marble: 'Marble.js 4.1 has no Kafka transport' },
  timeoutMs: 120_000,
  run: (systemId, options) => withKafkaSystem(systemId, options.tag, system => sendSequentialRuns(system, options, 30_000)),
};
