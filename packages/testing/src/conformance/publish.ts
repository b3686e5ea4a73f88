import { act, matchEvent } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import type { ConformanceKit } from './internal/ConformanceKit';

/** publish: one copy to every subscribed service, none to the others. */
export const publishCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('publish: each of two subscribed services gets one copy; a service not subscribed gets nothing', ['publish'], async c => {
    const created = c.type('OrderCreated');
    const other = c.type('OrderShipped');
    const got: Array<[service: string, type: string]> = [];
    const record =
      (service: string): MsgEffect =>
      e$ =>
        e$.pipe(
          matchEvent(created, other),
          act(e => void got.push([service, e.type])),
        );
    await c.service(c.channel('payments'), { effects: [record('payments')] }, { extra: { subscribe: [created] } });
    await c.service(c.channel('inventory'), { effects: [record('inventory')] }, { extra: { subscribe: [created] } });
    await c.service(c.channel('shipping'), { effects: [record('shipping')] }, { extra: { subscribe: [other] } });
    const client = await c.client(c.channel('orders'));

    await client.publish({ type: created, payload: { orderId: 'o-1' } });
    await c.waitFor(() => got.filter(([, type]) => type === created).length >= 2, 'both subscribed services', () => got);
    // a stray copy would arrive before a later publication does
    await client.publish({ type: other, payload: { orderId: 'o-1' } });
    await c.waitFor(() => got.some(([, type]) => type === other), 'the later publication', () => got);
    expect(got.filter(([, type]) => type === created).sort()).toEqual([
      ['inventory', created],
      ['payments', created],
    ]);
    expect(got.filter(([service]) => service === 'shipping')).toEqual([['shipping', other]]);
  });
};
