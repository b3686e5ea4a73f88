import * as t from 'io-ts';
import { act, event, eventValidator$, matchEvent } from '@tributary/core';
import type { ConformanceKit } from './internal/ConformanceKit';

/** `event(type, { version, upcasters })(codec)`, as DESIGN.md ("Versions") declares it. */
const OrderPlaced = event('OrderPlaced', {
  version: 3,
  upcasters: {
    // v1 { id, amount } → v2 { orderId, total }
    1: (p: { id: string; amount: number }) => ({ orderId: p.id, total: p.amount }),
    // v2 → v3 adds the currency
    2: (p: { orderId: string; total: number }) => ({ ...p, currency: 'EUR' }),
  },
})(t.type({ orderId: t.string, total: t.number, currency: t.string }));

/** Versions: older payloads are upcast before the effect; a newer one is dead-lettered. */
export const versionCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('versions: v1 and v2 payloads reach a v3 effect upcast; .create() stamps metadata.version; a v4 event is dead-lettered "unsupported-version"', [], async c => {
    const channel = c.channel('versions');
    const seen: unknown[] = [];
    await c.service(channel, {
      effects: [e$ => e$.pipe(matchEvent(OrderPlaced), act(eventValidator$(OrderPlaced)), act(e => void seen.push(e.payload)))],
    });
    const client = await c.client(channel);

    const v3 = OrderPlaced.create({ orderId: 'o-3', total: 30, currency: 'CHF' });
    await client.emit({ type: 'OrderPlaced', payload: { id: 'o-1', amount: 10 }, metadata: { version: 1 } });
    await client.emit({ type: 'OrderPlaced', payload: { id: 'o-0', amount: 5 } }); // no version: 1
    await client.emit({ type: 'OrderPlaced', payload: { orderId: 'o-2', total: 20 }, metadata: { version: 2 } });
    await client.emit(v3);
    await c.waitFor(() => seen.length === 4, 'the four events', () => seen);
    expect(seen).toEqual([
      { orderId: 'o-1', total: 10, currency: 'EUR' },
      { orderId: 'o-0', total: 5, currency: 'EUR' },
      { orderId: 'o-2', total: 20, currency: 'EUR' },
      { orderId: 'o-3', total: 30, currency: 'CHF' },
    ]);

    await client.emit({ type: 'OrderPlaced', payload: { orderId: 'o-4', total: 40, currency: 'EUR', lines: [] }, metadata: { version: 4 } });
    const [letter] = await c.deadLettersOf(channel, 1);
    expect(letter).toMatchObject({ type: 'OrderPlaced', reason: 'unsupported-version', attempts: 1 });
    expect(seen).toHaveLength(4);
    expect(v3.metadata?.version).toBe(3);
  });
};
