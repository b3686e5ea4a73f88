/**
 * Redrive on Kafka: dead letters go back to the service topic as fresh deliveries with their
 * key and original headers, each once; the group `<topic>.dead-letter.redrive` records what
 * moved, so a second redrive sends nothing again.
 */
import { act, matchEvent } from '@tributary/core';
import type { EventMetadata } from '@tributary/core';
import { redriveDeadLetters, Transport } from '@tributary/messaging';
import { produceDeadLetters } from './deadLetters';
import { BROKERS, deleteTopics, ensureKafka, KafkaServices, readTopic, uniqueTopic, waitFor } from './helpers';

describe('redriveDeadLetters on Kafka', () => {
  const topics: string[] = [];
  const topic = (name: string): string => {
    const made = uniqueTopic(name);
    topics.push(made);
    return made;
  };
  beforeAll(() => ensureKafka(), 120_000);
  afterAll(() => deleteTopics(topics));
  const options = (name: string) => ({ brokers: BROKERS, topic: name, timeout: 10_000 });

  it('moves 1,000 dead letters back: none lost, none duplicated (by id), in key order, original key and headers; a second redrive moves none', async () => {
    const name = topic('redrive1000');
    await produceDeadLetters(name, 1000, { partitions: 3 });
    const started = Date.now();
    const progress: number[] = [];
    const result = await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), onProgress: p => progress.push(p.moved) });
    const took = Date.now() - started;
    expect(result).toMatchObject({ moved: 1000, matched: 1000 });
    expect(progress[progress.length - 1]).toBe(1000);
    const first = result.letters.find(l => l.messageId === 'dl-0');
    expect(first).toMatchObject({ id: '0/0', type: 'OrderCancelled', reason: 'failed', errorName: 'TypeError', attempts: 3, headers: { tenant: 'acme' }, source: name });

    const moved = await readTopic(name, 1000);
    const ids = moved.map(r => r.headers['tributary.id']);
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    // Kafka's order, per key, is kept
    for (let k = 0; k < 7; k++) {
      const mine = moved.filter(r => r.key === `k-${k}`).map(r => Number(r.headers['tributary.id'].slice(3)));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
    const zero = moved.find(r => r.headers['tributary.id'] === 'dl-0')!;
    expect(zero.key).toBe('k-0');
    expect(zero.headers).toEqual({
      'tributary.id': 'dl-0',
      'tributary.type': 'OrderCancelled',
      'tributary.correlation-id': 'c-0',
      tenant: 'acme',
      'tributary.redriven-from': `${name}.dead-letter/0/0`,
    });

    const again = await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name) });
    expect(again).toMatchObject({ moved: 0, matched: 0 });
    expect(await readTopic(name, 1001, 1_500)).toHaveLength(1000);
    process.stdout.write(`kafka: redrove 1000 dead letters in ${took} ms\n`);
  }, 60_000);

  it('a filtered redrive moves the matching letters; the skipped ones before them stay dead letters (written again at the back), and nothing moves twice', async () => {
    const name = topic('redrive-filter');
    await produceDeadLetters(name, 30);
    const moved = await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), filter: { type: 'OrderPlaced' } });
    expect(moved).toMatchObject({ moved: 15, matched: 15 });
    expect(moved.letters.map(l => l.messageId)).toEqual(Array.from({ length: 15 }, (_, i) => `dl-${2 * i + 1}`));

    const left = await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), dryRun: true });
    expect(left.letters.map(l => l.messageId)).toEqual(Array.from({ length: 15 }, (_, i) => `dl-${2 * i}`));
    // each was before a moved one (dl-29 the last): all at the back now (offsets 30 to 44), keeping when they were dead-lettered
    expect(left.letters.map(l => l.id)).toEqual(Array.from({ length: 15 }, (_, i) => `0/${30 + i}`));
    expect(left.letters[1]).toMatchObject({ type: 'OrderCancelled', reason: 'failed', attempts: 3, headers: { tenant: 'acme' } });
    expect(Date.now() - left.letters[1].deadLetteredAt!).toBeLessThan(60_000);

    const none = await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), filter: { type: 'OrderPlaced' } });
    expect(none).toMatchObject({ moved: 0, matched: 0 });
    const rest = await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name) });
    expect(rest).toMatchObject({ moved: 15, matched: 15 });
    const ids = (await readTopic(name, 30)).map(r => r.headers['tributary.id']);
    expect(ids.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `dl-${i}`).sort());
  }, 30_000);

  it('a redrive with a limit moves the oldest letters; the next one goes on from there', async () => {
    const name = topic('redrive-limit');
    await produceDeadLetters(name, 12);
    expect(await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), limit: 5 })).toMatchObject({ moved: 5 });
    const next = await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), dryRun: true });
    expect(next.letters.map(l => l.messageId)).toEqual(Array.from({ length: 7 }, (_, i) => `dl-${i + 5}`));
    expect(await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), filter: { where: l => l.messageId === 'dl-9' } })).toMatchObject({ moved: 1 });
    expect((await readTopic(name, 6)).map(r => r.headers['tributary.id']).sort()).toEqual(['dl-0', 'dl-1', 'dl-2', 'dl-3', 'dl-4', 'dl-9']);
  }, 30_000);

  it('a letter that fails again after a redrive is a dead letter again, listed by the next redrive; once fixed it is handled once, as attempt 1', async () => {
    const services = new KafkaServices();
    try {
      const name = topic('redrive-again');
      let fixed = false;
      const seen: EventMetadata[] = [];
      await services.service({ topic: name, partitions: 1, retry: { maxAttempts: 2, initialDelay: 20, maxDelay: 20 } }, {
        effects: [
          e$ =>
            e$.pipe(
              matchEvent('Charge'),
              act(e => {
                if (!fixed) throw new Error('still broken');
                seen.push(e.metadata);
              }),
            ),
        ],
      });
      const client = await services.client({ topic: name });
      // the dead-letter topic comes with the first dead letter: none yet is no dead letters, not an unknown topic
      expect(await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), dryRun: true })).toMatchObject({ matched: 0 });
      await client.emit({ type: 'Charge', payload: 1, metadata: { id: 'charge-1', key: 'order-1', headers: { tenant: 'acme' } } });
      const letters = async () => (await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), dryRun: true })).letters;
      await waitFor(async () => (await letters()).length === 1, 20_000, 'the first dead letter');

      expect(await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name) })).toMatchObject({ moved: 1 });
      await waitFor(async () => (await letters()).length === 1, 20_000, 'the second dead letter');
      const [again] = await letters();
      expect(again).toMatchObject({ id: '0/1', messageId: 'charge-1', attempts: 2, errorMessage: 'still broken', headers: { tenant: 'acme' } });

      fixed = true;
      expect(await redriveDeadLetters({ transport: Transport.KAFKA, options: options(name) })).toMatchObject({ moved: 1, matched: 1 });
      await waitFor(() => seen.length === 1, 20_000, 'the fixed service handles it');
      expect(seen[0]).toMatchObject({ id: 'charge-1', attempt: 1, key: 'order-1', headers: { tenant: 'acme' } });
      expect(await letters()).toEqual([]);
    } finally {
      await services.close();
    }
  }, 60_000);

  it('a topic no service ran on (neither it nor its dead-letter topic exists): DeadLetterDestinationNotFoundError', async () => {
    const name = topic('redrive-none');
    await expect(redriveDeadLetters({ transport: Transport.KAFKA, options: options(name), dryRun: true })).rejects.toMatchObject({
      name: 'DeadLetterDestinationNotFoundError',
      message: expect.stringContaining(`${name}.dead-letter`),
    });
  });
});
