import { expectTypeOf } from 'expect-type';
import * as t from 'io-ts';
import { act, bindTo, createContextToken, Event, event, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken, messagingListener, MsgEffect, reply } from '@tributary/messaging';
import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';

// a saga across two services: orders places, payments charges or declines, orders cancels on a decline
const PlaceOrder = event('PlaceOrder')(t.type({ orderId: t.string, total: t.number }));
const OrderPlaced = event('OrderPlaced')(t.type({ orderId: t.string, total: t.number }));
const PaymentTaken = event('PaymentTaken')(t.type({ orderId: t.string }));
const PaymentDeclined = event('PaymentDeclined')(t.type({ orderId: t.string }));
const Price = event('Price')(t.type({ sku: t.string, eur: t.number }));
const GetPrice = event('GetPrice', { reply: Price })(t.type({ sku: t.string }));

const Orders = createContextToken<Map<string, string>>('Orders');

const place$: MsgEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  const orders = useContext(Orders)(ctx.ask);
  return event$.pipe(
    matchEvent(PlaceOrder),
    act(async e => {
      orders.set(e.payload.orderId, 'placed');
      await bus.publish(OrderPlaced.create(e.payload));
    }),
  );
};
const settle$: MsgEffect = (event$, ctx) => {
  const orders = useContext(Orders)(ctx.ask);
  return event$.pipe(
    matchEvent(PaymentTaken, PaymentDeclined),
    act(e => void orders.set(e.payload.orderId, e.type === 'PaymentTaken' ? 'paid' : 'cancelled')),
  );
};
const charge$: MsgEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(OrderPlaced),
    act(e => bus.publish(e.payload.total > 100 ? PaymentDeclined.create({ orderId: e.payload.orderId }) : PaymentTaken.create({ orderId: e.payload.orderId }))),
  );
};
const price$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent(GetPrice),
    act(e => reply(e)(Price.create({ sku: e.payload.sku, eur: 12 }))),
  );

describe('createMessagingTestBed with several services', () => {
  let bed: MessagingTestBed;
  let orders: Map<string, string>;
  beforeEach(async () => {
    orders = new Map();
    bed = await createMessagingTestBed({
      services: {
        orders: { listener: messagingListener({ effects: [place$, settle$] }), options: { subscribe: ['PaymentTaken', 'PaymentDeclined'] } },
        payments: { listener: messagingListener({ effects: [charge$] }), options: { subscribe: ['OrderPlaced'] } },
        prices: { listener: messagingListener({ effects: [price$] }) },
      },
      dependencies: [bindTo(Orders)(() => orders)],
    });
  });
  afterEach(() => bed.close());

  it('runs a saga across services; idle() waits for all of them', async () => {
    await bed.emit(PlaceOrder.create({ orderId: 'o-1', total: 30 }));
    await bed.service('orders').emit(PlaceOrder.create({ orderId: 'o-2', total: 300 }));
    await bed.idle();
    expect(Object.fromEntries(orders)).toEqual({ 'o-1': 'paid', 'o-2': 'cancelled' });
    expect((await bed.collect()).map(e => e.type).sort()).toEqual(['OrderPlaced', 'OrderPlaced', 'PaymentDeclined', 'PaymentTaken']);
    expect(bed.deadLetters).toEqual([]);
  });

  it('fans a publish out to the subscribed services only', async () => {
    await bed.publish(OrderPlaced.create({ orderId: 'o-3', total: 5 }));
    await bed.idle();
    expect(orders.get('o-3')).toBe('paid');
    expect(bed.deadLetters).toEqual([]);
  });

  it('sends to one service by name, the reply typed by the request codec', async () => {
    const price = await bed.service('prices').send(GetPrice.create({ sku: 'a-1' }));
    expectTypeOf(price).toEqualTypeOf<{ type: 'Price'; payload: { sku: string; eur: number } }>();
    expect(price).toMatchObject({ type: 'Price', payload: { sku: 'a-1', eur: 12 } });
    // an explicit type argument still wins; an undeclared reply is an Event
    expectTypeOf(await bed.service('prices').send<{ type: 'Price'; payload: unknown }>(GetPrice.create({ sku: 'b' }))).toEqualTypeOf<{ type: 'Price'; payload: unknown }>();
    expectTypeOf<Awaited<ReturnType<typeof bed.send<never, { type: 'Anything' }>>>>().toEqualTypeOf<Event>();
    expect(() => bed.service('nope')).toThrow('The test bed has no service "nope"; it has orders, payments, prices.');
  });

  it('types MessagingClient.send the same way', () => {
    expectTypeOf(bed.service('prices').client.send(GetPrice.create({ sku: 'a' }))).toEqualTypeOf<
      import('rxjs').Observable<{ type: 'Price'; payload: { sku: string; eur: number } }>
    >();
  });
});
