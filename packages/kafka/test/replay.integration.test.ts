import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { eventTopic, replay } from '@tributary/kafka';
import { ensureKafka, KafkaServices, sleep, uniqueTopic, waitFor } from './helpers';

const recorder = (type: string, seen: Event[]): MsgEffect => event$ =>
  event$.pipe(
    matchEvent(type),
    act(event => void seen.push(event)),
  );

describe('Kafka startFrom and replay', () => {
  let services: KafkaServices;
  beforeAll(() => ensureKafka());
  beforeEach(() => (services = new KafkaServices()));
  afterEach(() => services.close());

  test("startFrom { timestamp }: a new group starts at the first message written at or after it; 'latest' skips the backlog", async () => {
    const topic = uniqueTopic('start-ts');
    const client = await services.client({ topic });
    for (let i = 0; i < 5; i++) await client.emit({ type: 'Tick', payload: i });
    await sleep(50);
    const middle = Date.now();
    await sleep(50);
    for (let i = 5; i < 10; i++) await client.emit({ type: 'Tick', payload: i });

    const fromMiddle: Event[] = [];
    await services.service({ topic, groupId: `${topic}-ts`, startFrom: { timestamp: middle } }, { effects: [recorder('Tick', fromMiddle)] });
    const latest: Event[] = [];
    await services.service({ topic, groupId: `${topic}-latest`, startFrom: 'latest' }, { effects: [recorder('Tick', latest)] });
    await client.emit({ type: 'Tick', payload: 10 });
    await waitFor(() => fromMiddle.length === 6 && latest.length === 1, 15_000, 'both groups');
    expect(fromMiddle.map(e => e.payload).sort((a, b) => (a as number) - (b as number))).toEqual([5, 6, 7, 8, 9, 10]);
    expect(latest.map(e => e.payload)).toEqual([10]);
  });

  test('replay: rebuilding a read model from events published before the service existed', async () => {
    const type = `OrderPlaced${Date.now()}`;
    const publisher = await services.client({ topic: uniqueTopic('shop') });
    const start = Date.now();
    for (let i = 0; i < 20; i++) await publisher.publish({ type, payload: { order: i }, metadata: { key: `customer-${i % 3}` } });
    const afterFirst20 = Date.now();
    await sleep(50);
    for (let i = 20; i < 25; i++) await publisher.publish({ type, payload: { order: i } });

    // the read model starts later: it subscribes from now on ('latest' for publications)
    const view: Event[] = [];
    const topic = uniqueTopic('order-view');
    await services.service({ topic, subscribe: [type] }, { effects: [recorder(type, view)] });
    await sleep(500);
    expect(view).toHaveLength(0);

    // re-deliver the first 20 (a time range) to it
    const { replayed } = await replay({ options: services.options({ topic }), topics: [eventTopic(type)], from: start, to: afterFirst20 + 1 });
    expect(replayed).toBe(20);
    await waitFor(() => view.length === 20, 15_000, 'the replayed events');
    expect(view.map(e => (e.payload as { order: number }).order).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // keys and per-key order are kept
    for (const customer of ['customer-0', 'customer-1', 'customer-2']) {
      const orders = view.filter(e => e.metadata?.key === customer).map(e => (e.payload as { order: number }).order);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
      expect(orders.length).toBeGreaterThan(0);
    }
    expect(view[0]!.metadata!.headers).toBeUndefined();

    // an empty range replays nothing
    expect(await replay({ options: services.options({ topic }), topics: [eventTopic(type)], from: Date.now() + 60_000 })).toEqual({ replayed: 0 });
  });
});
