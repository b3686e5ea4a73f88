import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { reply } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { ensureKafka, KafkaServices, readTopic, uniqueTopic, waitFor } from './helpers';

const recorder = (type: string, seen: Event[], work: (event: Event) => unknown = () => undefined): MsgEffect => event$ =>
  event$.pipe(
    matchEvent(type),
    act(async event => {
      seen.push(event);
      await work(event);
    }),
  );

describe('Kafka microservice (public API on a real broker)', () => {
  let services: KafkaServices;
  beforeAll(() => ensureKafka());
  beforeEach(() => (services = new KafkaServices()));
  afterEach(() => services.close());

  test('emit: handled once, with headers, key and metadata end to end', async () => {
    const topic = uniqueTopic('emit');
    const seen: Event[] = [];
    await services.service({ topic }, { effects: [recorder('OrderPlaced', seen)] });
    const client = await services.client({ topic });
    await client.emit({ type: 'OrderPlaced', payload: { id: 1 }, metadata: { key: 'order-1', headers: { tenant: 'acme' }, correlationId: 'c-1' } });
    await waitFor(() => seen.length === 1, 15_000, 'the event');
    const [event] = seen;
    expect(event!.payload).toEqual({ id: 1 });
    expect(event!.metadata).toMatchObject({ key: 'order-1', headers: { tenant: 'acme' }, correlationId: 'c-1', attempt: 1 });
    expect(typeof event!.metadata!.id).toBe('string');
  });

  test('send: the reply comes back on the client reply topic; concurrent sends get their own', async () => {
    const topic = uniqueTopic('rpc');
    const double$: MsgEffect = event$ => event$.pipe(matchEvent('Double'), act(event => reply(event)({ type: 'Doubled', payload: (event.payload as number) * 2 })));
    await services.service({ topic }, { effects: [double$] });
    const client = await services.client({ topic });
    const results = await Promise.all([1, 2, 3].map(n => firstValueFrom(client.send({ type: 'Double', payload: n }))));
    expect(results.map(r => r.payload)).toEqual([2, 4, 6]);
  });

  test('send of an unhandled type fails fast', async () => {
    const topic = uniqueTopic('unhandled');
    await services.service({ topic }, { effects: [] });
    const client = await services.client({ topic });
    const started = Date.now();
    await expect(firstValueFrom(client.send({ type: 'Nobody' }))).rejects.toMatchObject({ name: 'UnhandledEventError' });
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  test('publish: every subscribed service gets a copy, a pattern subscriber too', async () => {
    const type = `Paid${Date.now()}`;
    const a: Event[] = [];
    const b: Event[] = [];
    const other: Event[] = [];
    const topicA = uniqueTopic('pub-a');
    const topicB = uniqueTopic('pub-b');
    await services.service({ topic: topicA, subscribe: [type] }, { effects: [recorder(type, a)] });
    await services.service({ topic: topicB, subscribe: [type] }, { effects: [recorder(type, b)] });
    await services.service({ topic: uniqueTopic('pub-c') }, { effects: [recorder(type, other)] });
    // a pattern subscriber started before the type's topic exists finds it within topicRefreshInterval
    const family = `fam${Date.now()}`;
    const patterned: Event[] = [];
    await services.service({ topic: uniqueTopic('pub-d'), subscribe: [`${family}.*`], topicRefreshInterval: 300 }, { effects: [recorder(`${family}.captured`, patterned)] });
    const client = await services.client({ topic: topicA });
    await client.publish({ type, payload: 1 });
    await client.publish({ type: `${family}.captured`, payload: 2 });
    await waitFor(() => a.length === 1 && b.length === 1, 15_000, 'both copies');
    await waitFor(() => patterned.length === 1, 15_000, 'the pattern subscriber copy');
    expect(other).toHaveLength(0);
    expect(patterned[0]!.payload).toBe(2);
  });

  test('a failing event is retried, then dead-lettered with error headers and the original bytes', async () => {
    const topic = uniqueTopic('dlq');
    const seen: Event[] = [];
    await services.service({ topic, retry: { maxAttempts: 3, initialDelay: 50 } }, {
      effects: [
        recorder('Boom', seen, () => {
          throw new TypeError('kaputt');
        }),
      ],
    });
    const client = await services.client({ topic });
    await client.emit({ type: 'Boom', payload: 7, metadata: { headers: { tenant: 'acme' }, key: 'k-1' } });
    const [letter] = await readTopic(`${topic}.dead-letter`, 1, 20_000);
    expect(seen.map(e => e.metadata!.attempt)).toEqual([1, 2, 3]);
    expect(letter).toBeDefined();
    expect(JSON.parse(letter!.value.toString('utf8'))).toMatchObject({ type: 'Boom', payload: 7 });
    expect(letter!.key).toBe('k-1');
    expect(letter!.headers).toMatchObject({
      tenant: 'acme',
      'x-error-name': 'TypeError',
      'x-error-message': 'kaputt',
      'x-attempts': '3',
      'x-dead-letter-reason': 'failed',
      'x-original-topic': topic,
      'tributary.type': 'Boom',
    });
    expect(Number(letter!.headers['x-original-partition'])).toBeGreaterThanOrEqual(0);
    expect(letter!.headers['x-original-offset']).toBe('0');
  });

  test('events emitted before the service existed are handled (startFrom earliest)', async () => {
    const topic = uniqueTopic('backlog');
    const client = await services.client({ topic });
    for (let i = 0; i < 5; i++) await client.emit({ type: 'Early', payload: i, metadata: { key: 'one-key' } });
    const seen: Event[] = [];
    await services.service({ topic }, { effects: [recorder('Early', seen)] });
    await waitFor(() => seen.length === 5, 15_000, 'the backlog');
    expect(seen.map(e => e.payload)).toEqual([0, 1, 2, 3, 4]);
  });

  test('bounded in flight: at most maxInFlightPerPartition messages of a partition are in the effects at once', async () => {
    const topic = uniqueTopic('bounded');
    let running = 0;
    let most = 0;
    let handled = 0;
    const slow: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('Slow'),
        act(async () => {
          most = Math.max(most, ++running);
          await new Promise(resolve => setTimeout(resolve, 20));
          running--;
          handled++;
        }),
      );
    await services.service({ topic, partitions: 1, maxInFlightPerPartition: 3 }, { effects: [slow] });
    const client = await services.client({ topic, partitions: 1 });
    // no keys: the delivery machine would run up to `concurrency` (32) of them at once
    await Promise.all(Array.from({ length: 60 }, (_, n) => client.emit({ type: 'Slow', payload: n })));
    await waitFor(() => handled === 60, 20_000, 'all handled');
    expect(most).toBe(3);
  });
});
