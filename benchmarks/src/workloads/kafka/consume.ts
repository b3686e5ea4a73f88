import { performance } from 'node:perf_hooks';
import { benchEvent, Counter, repeat, withSystem } from '../../harness/drive';
import type { BenchSystem } from '../../harness/drive';
import type { RunSample, Workload } from '../../harness/types';
import { createTopics, deleteKafka, fillTopic, kafkaLayer, nestKafka, nestTopic, plainRecord, rawKafkaJs, rawPlatformatic, tributaryKafka, tributaryRecord } from '../../systems/kafka';
import type { FillRecord } from '../../systems/kafka';
import { kafkaSystems } from '../../systems/kafka';

/** Per system: how it starts on a topic, which topic its `OrderPlaced` events are read from, and what its client writes there. */
const CONSUMERS: Record<string, { start: (tag: string) => Promise<BenchSystem>; topic: (tag: string) => string; record: (seq: number) => FillRecord }> = {
  tributary: { start: tributaryKafka, topic: tag => tag, record: seq => tributaryRecord(benchEvent('OrderPlaced', seq)) },
  layer: { start: kafkaLayer, topic: tag => tag, record: seq => tributaryRecord(benchEvent('OrderPlaced', seq)) },
  raw: { start: rawPlatformatic, topic: tag => tag, record: seq => plainRecord(benchEvent('OrderPlaced', seq)) },
  kafkajs: { start: rawKafkaJs, topic: tag => tag, record: seq => plainRecord(benchEvent('OrderPlaced', seq)) },
  nest: { start: nestKafka, topic: tag => nestTopic(tag, 'OrderPlaced'), record: seq => plainRecord(benchEvent('OrderPlaced', seq)) },
};

/**
 * One run: a fresh topic (3 partitions) filled with `n` events (not timed), then a fresh service
 * (its own consumer group, from the earliest offset) consumes them all. Timed from the first
 * event processed to the last (group join and the first fetch are not in the figure).
 */
const consumeRun = async (systemId: string, runTag: string, n: number): Promise<RunSample> => {
  const consumer = CONSUMERS[systemId];
  if (!consumer) throw new Error(`unknown Kafka consume system "${systemId}"`);
  const topic = consumer.topic(runTag);
  await createTopics([topic]);
  try {
    await fillTopic(topic, n, consumer.record);
    // the first event processed starts the clock (the system's counter does not exist yet)
    let first = 0;
    const hit = Counter.prototype.hit;
    Counter.prototype.hit = function (this: Counter) {
      if (first === 0) first = performance.now();
      hit.call(this);
    };
    try {
      return await withSystem(
        () => consumer.start(runTag),
        async system => {
          await system.emit.processed.until(n, 60_000);
          const elapsedMs = performance.now() - first;
          const ok = Math.min(n, system.emit.processed.count);
          return { metrics: { rate: ok > 1 ? ((ok - 1) / elapsedMs) * 1000 : 0 }, ok, failed: 0, lost: n - ok, elapsedMs };
        },
      );
    } finally {
      Counter.prototype.hit = hit;
    }
  } finally {
    // the system deleted its groups on close; a group whose member the coordinator still saw is deleted here, later
    await deleteKafka({ topics: [topic], groups: [runTag, `${runTag}.reply`, `${runTag}-server`, `${runTag}-client`] });
  }
};

/** Kafka: consumer throughput over a topic filled beforehand, read from the earliest offset, offsets committed after processing. */
export const kafkaConsume: Workload = {
  id: 'kafka-consume',
  group: 'kafka',
  title: 'Kafka consume a filled topic from earliest',
  metrics: [{ key: 'rate', label: 'Kafka consume, filled topic, from earliest', unit: 'ops/s', better: 'higher' }],
  systems: kafkaSystems({ tributary: 200_000, raw: 300_000, kafkajs: 300_000, nest: 60_000 }),
  absent: {
    marble: 'Marble.js 4.1 has no Kafka transport',
    moleculer: "Moleculer's Kafka transporter reads its own packets from per-node topics with a new consumer group per start (its instance id) from the latest offset: a topic filled before it started is never read",
  },
  timeoutMs: 240_000,
  run: async (systemId, { n, runs, tag }) => {
    let run = 0;
    return repeat(
      runs,
      () => consumeRun(systemId, `${tag}.r${run++}`, Math.ceil(n / 10)),
      () => consumeRun(systemId, `${tag}.r${run++}`, n),
    );
  },
};
