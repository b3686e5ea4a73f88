import type Redis from 'ioredis';

/**
 * Writes `count` dead letters straight into a dead-letter stream, with the fields the
 * transport writes (see deadLetterFields): the envelope in `data`, then why and when.
 */
export const produceDeadLetters = async (admin: Redis, stream: string, source: string, count: number, type: (i: number) => string = i => (i % 2 ? 'OrderPlaced' : 'OrderCancelled')): Promise<void> => {
  for (let from = 0; from < count; from += 200) {
    const pipeline = admin.pipeline();
    for (let i = from; i < Math.min(count, from + 200); i++) {
      const envelope = { type: type(i), payload: { n: i }, metadata: { id: `dl-${i}`, headers: { tenant: 'acme' }, key: `k-${i % 7}` } };
      pipeline.xadd(stream, '*', 'data', JSON.stringify(envelope), 'type', type(i), 'id', `dl-${i}`, 'reason', 'failed', 'errorName', 'TypeError',
        'errorMessage', 'cannot read properties of undefined', 'attempts', '3', 'source', source, 'sourceId', `${i + 1}-0`, 'deadLetteredAt', String(Date.now() - 60_000));
    }
    await pipeline.exec();
  }
};
