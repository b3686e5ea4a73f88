import { kafkaClient } from '../src/internal/client';
import { BROKERS } from './helpers';

/**
 * Produces `count` dead letters straight into `<topic>.dead-letter` (created with `partitions`),
 * in the format the transport writes them: key, value and the original headers
 * (`tributary.id` `<idPrefix><i>`, `tributary.type`, a user header) plus the error ones.
 * Letter i has the key `k-<i % 7>` and, as the transport does (the original's partition), one
 * partition per key: `(i % 7) % partitions`.
 */
export const produceDeadLetters = async (
  topic: string,
  count: number,
  { partitions = 1, type = (i: number) => (i % 2 ? 'OrderPlaced' : 'OrderCancelled'), idPrefix = 'dl-' }: { partitions?: number; type?: (i: number) => string; idPrefix?: string } = {},
): Promise<void> => {
  const { Admin, Producer, ProduceAcks, stringSerializers } = kafkaClient();
  const admin = new Admin({ clientId: 'test-dl-admin', bootstrapBrokers: BROKERS } as any);
  const producer = new Producer({
    clientId: 'test-dl-producer',
    bootstrapBrokers: BROKERS,
    // a send retried under load must not write the letters twice
    idempotent: true,
    acks: ProduceAcks.ALL,
    serializers: { key: stringSerializers.key, headerKey: stringSerializers.headerKey, headerValue: stringSerializers.headerValue },
  } as any) as any;
  try {
    await admin.createTopics({ topics: [topic, `${topic}.dead-letter`], partitions, replicas: 1 }).catch(() => undefined);
    for (let start = 0; start < count; start += 250) {
      const messages = [];
      for (let i = start; i < Math.min(count, start + 250); i++) {
        messages.push({
          topic: `${topic}.dead-letter`,
          partition: (i % 7) % partitions,
          key: `k-${i % 7}`,
          value: Buffer.from(JSON.stringify({ type: type(i), payload: { n: i } })),
          headers: {
            'tributary.id': `${idPrefix}${i}`,
            'tributary.type': type(i),
            'tributary.correlation-id': `c-${i}`,
            'tributary.attempt': '3',
            tenant: 'acme',
            'x-dead-letter-reason': 'failed',
            'x-error-name': 'TypeError',
            'x-error-message': 'cannot read properties of undefined',
            'x-attempts': '3',
            'x-original-topic': topic,
            'x-original-partition': String((i % 7) % partitions),
            'x-original-offset': String(i),
          },
        });
      }
      await producer.send({ messages });
    }
  } finally {
    await Promise.allSettled([admin.close(), producer.close(true)]);
  }
};
