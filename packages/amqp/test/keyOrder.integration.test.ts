/**
 * Per-key order across instances on RabbitMQ: with `singleActiveConsumer`, one instance
 * consumes at a time, so the events of a key are handled in order even with several running,
 * and a standby takes over when the active one closes.
 */
import { act, matchEvent } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { eventually, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';
import { Services } from './helpers/services';

describe('per-key order across instances (singleActiveConsumer)', () => {
  const broker = useSharedBroker();
  const services = new Services();
  afterEach(() => services.stopAll(broker.admin));

  it('handles every key in order with two instances running, and fails over to the standby', async () => {
    const queue = uniqueQueue('sac');
    const seen: Array<[string, string, number]> = [];
    const effect = (instance: string): MsgEffect => event$ =>
      event$.pipe(
        matchEvent('Step'),
        act(async e => {
          await wait(Math.random() * 3);
          seen.push([instance, e.metadata.key as string, e.payload as number]);
        }),
      );
    const options = { singleActiveConsumer: true, prefetchCount: 20 };
    const first = await services.service(queue, { effects: [effect('first')] }, options);
    await services.service(queue, { effects: [effect('second')] }, options);
    const client = await services.client(queue, options);
    const keys = ['a', 'b', 'c'];
    for (let i = 0; i < 30; i++) for (const key of keys) await client.emit({ type: 'Step', payload: i, metadata: { key } });
    await eventually(() => seen.length === 90, 20_000);
    for (const key of keys) expect(seen.filter(([, k]) => k === key).map(([, , n]) => n)).toEqual([...Array(30).keys()]);
    expect(new Set(seen.map(([instance]) => instance))).toEqual(new Set(['first'])); // the other waited

    await first.close();
    for (let i = 30; i < 40; i++) await client.emit({ type: 'Step', payload: i, metadata: { key: 'a' } });
    await eventually(() => seen.length === 100, 20_000);
    expect(seen.slice(90).map(([instance, , n]) => `${instance}:${n}`)).toEqual([...Array(10).keys()].map(i => `second:${30 + i}`));
  });
});
