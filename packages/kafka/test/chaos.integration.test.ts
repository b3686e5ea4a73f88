/**
 * The chaos run of Kafka (issue 19): emits while the broker is stopped and started again, the
 * consumer SIGKILLed, a poison and a malformed message injected; no resolved emit may be lost.
 * The broker is one of this test's own (scripts/services/kafka.sh on free ports and a temp
 * folder): the shared one on 9092 is never stopped. Kafka clients reconnect to the listener the
 * broker advertised, so a TCP proxy in front of it could not cut them.
 * `npm run chaos` runs it at full size (CHAOS_EMITS=5000), `npm test` at 500.
 */
import { randomUUID } from 'node:crypto';
import { Transport } from '@tributary/messaging';
import { chaosFindings, formatChaosTable, runChaos } from '@tributary/testing/conformance';
import type { DeadLetterRecord, TransportConformanceSetup } from '@tributary/testing/conformance';
import { hasKafkaError, kafkaClient } from '../src/internal/client';
import { readHeaders } from '../src/internal/wire';
import { startOwnKafka } from './ownKafka';
import type { OwnKafka } from './ownKafka';

const emits = Number(process.env.CHAOS_EMITS ?? 500);
let kafka: OwnKafka;
let admin: any;
let producer: any;
const readers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  kafka = await startOwnKafka();
  const { Admin, Producer } = kafkaClient();
  admin = new Admin({ clientId: 'chaos-admin', bootstrapBrokers: kafka.brokers } as any);
  producer = new Producer({ clientId: 'chaos-producer', bootstrapBrokers: kafka.brokers } as any);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([...readers.map(close => close()), admin?.close(), producer?.close(true)]);
  await kafka?.remove();
}, 60_000);

const ensureTopic = (topic: string): Promise<void> =>
  admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 }).catch((error: Error) => {
    if (!hasKafkaError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
  });

/** The records of `<topic>.dead-letter`, from a reader that starts at the first call and keeps reading. */
const letters = new Map<string, DeadLetterRecord[]>();
const readDeadLetters = async (topic: string): Promise<DeadLetterRecord[]> => {
  let records = letters.get(topic);
  if (!records) {
    letters.set(topic, (records = []));
    await ensureTopic(`${topic}.dead-letter`);
    const { Consumer, MessagesStreamModes, stringDeserializers } = kafkaClient();
    const consumer = new Consumer({
      clientId: 'chaos-dead-letters',
      groupId: `chaos-dl-${randomUUID()}`,
      bootstrapBrokers: kafka.brokers,
      maxWaitTime: 200,
      deserializers: { key: stringDeserializers.key, headerKey: stringDeserializers.headerKey, headerValue: stringDeserializers.headerValue },
    } as any) as any;
    readers.push(() => consumer.close(true).catch(() => undefined));
    const stream = await consumer.consume({ topics: [`${topic}.dead-letter`], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    stream.on('data', (m: any) => {
      const headers = readHeaders(m.headerEntries);
      records!.push({ type: headers['tributary.type'], reason: headers['x-dead-letter-reason'] ?? '', attempts: Number(headers['x-attempts']), headers: {}, body: m.value });
    });
  }
  return [...records];
};

const setup = (): TransportConformanceSetup => ({
  transport: Transport.KAFKA,
  // commits every 50 ms: a SIGKILL replays little; a 6 s session (the broker's minimum): the
  // killed consumer's partitions go to the new one soon
  serviceOptions: (topic, extra) => ({ brokers: kafka.brokers, topic, partitions: 3, commitInterval: 50, topicRefreshInterval: 500, sessionTimeout: 6_000, ...extra }),
  injectRaw: async (topic, bytes) => {
    await ensureTopic(topic);
    await producer.send({ messages: [{ topic, partition: 0, value: bytes }] });
  },
  readDeadLetters,
  // the cut: this test's broker stopped (SIGTERM) and started again, ~5 s in all; emits get
  // 20 s of patience (the reconnection included) instead of the run's default 5 s
  fault: async () => ({ options: { timeout: 20_000 }, cut: kafka.stop, restore: kafka.start, close: async () => undefined }),
});

test(`chaos: ${emits} emits through a broker restart, a consumer SIGKILL, a poison and a malformed message lose nothing`, async () => {
  const started = Date.now();
  const report = await runChaos('Kafka', setup(), { emits });
  process.stdout.write(`\n${formatChaosTable([report])}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  expect(report.lost).toBe(0);
  expect(report.processed).toBeGreaterThanOrEqual(report.resolved);
  expect(chaosFindings(report)).toEqual([]);
}, 180_000);
