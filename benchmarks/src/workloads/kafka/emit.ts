import { emitRuns } from '../../harness/drive';
import type { Workload } from '../../harness/types';
import { kafkaSystems, withKafkaSystem } from '../../systems/kafka';

/** Kafka: emits awaited with acks=all (idempotent producers), 1000 outstanding, counted at the (committing) consumer. */
export const kafkaEmit: Workload = {
  id: 'kafka-emit',
  group: 'kafka',
  title: 'Kafka emit, acks=all, counted at the consumer',
  metrics: [{ key: 'rate', label: 'Kafka emit, acks=all, 1000 outstanding', unit: 'ops/s', better: 'higher' }],
  systems: kafkaSystems({ tributary: 4_000, raw: 4_000, kafkajs: 4_000, nest: 4_000, moleculer: 3_000 }),
  absent: { marble: 'Marble.js 4.1 has no Kafka transport' },
  timeoutMs: 120_000,
  run: (systemId, options) => withKafkaSystem(systemId, options.tag, system => emitRuns(system, options, 1000, 20_000)),
};
