import { act, bindEagerlyTo, bindTo, createContextToken, lookup, matchEvent, useContext } from '@tributary/core';
import {
  EventBus,
  EventBusClient,
  EventBusClientToken,
  EventBusToken,
  messagingListener,
  MsgEffect,
  reply,
} from '@tributary/messaging';
import { bridgeToWebSockets } from '@tributary/websockets';
import { firstValueFrom, Subject } from 'rxjs';
import { cleanup, connect, start, wait } from './helpers';

afterEach(cleanup);

/** On the bus: PlaceOrder → reply OrderAccepted, publish OrderCreated and an internal AuditLogged. */
const placeOrder$: MsgEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent('PlaceOrder'),
    act(async event => {
      await bus.publish({ type: 'OrderCreated', payload: { orderId: 'o-1', ...(event.payload as object) }, metadata: { correlationId: 'o-1' } });
      await bus.publish({ type: 'AuditLogged', payload: { secret: 'internal' } });
      return reply(event)({ type: 'OrderAccepted', payload: { orderId: 'o-1' } });
    }),
  );
};

const busDependencies = [
  bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [placeOrder$] }) })),
  bindTo(EventBusClientToken)(EventBusClient),
];

describe('bridgeToWebSockets', () => {
  it('forwards events from the EventBus to subscribed clients, listed types only, public fields only', async () => {
    const { url, server } = await start({}, {}, {
      dependencies: busDependencies,
      event$: bridgeToWebSockets({ from: EventBusClientToken, types: ['OrderCreated', 'OrderAccepted'] }),
    });
    const [subscribed, everything, unsubscribed] = await Promise.all([connect(url), connect(url), connect(url)]);
    subscribed.send({ type: 'subscribe', payload: { types: ['OrderCreated'] } });
    everything.send({ type: 'subscribe', payload: { types: ['#'] } });
    await Promise.all([subscribed.next(), everything.next()]);

    const bus = useContext(EventBusClientToken)(lookup(server.context));
    expect(await firstValueFrom(bus.send({ type: 'PlaceOrder', payload: { customer: 'ada' } }))).toMatchObject({ type: 'OrderAccepted' });

    const created = await subscribed.next(e => e.type === 'OrderCreated');
    expect(created).toMatchObject({ type: 'OrderCreated', payload: { orderId: 'o-1', customer: 'ada' }, metadata: { correlationId: 'o-1' } });
    expect(Object.keys(created.metadata ?? {}).every(k => ['id', 'correlationId', 'causationId', 'timestamp'].includes(k))).toBe(true);

    await everything.next(e => e.type === 'OrderAccepted');
    await wait(50);
    // AuditLogged is not in `types`: it never leaves the server, even for '#'
    expect(everything.received.map(e => e.type)).toEqual(['subscribed', 'OrderCreated', 'OrderAccepted']);
    expect(subscribed.received.map(e => e.type)).toEqual(['subscribed', 'OrderCreated']);
    expect(unsubscribed.received).toEqual([]);
  });

  it('takes any Observable of events, can send to all clients and reshape or drop events', async () => {
    const feed = new Subject<{ type: string; payload?: unknown }>();
    const { url } = await start({}, {}, {
      event$: bridgeToWebSockets({
        from: feed,
        types: ['price.*'],
        to: 'all',
        map: e => ((e.payload as { hidden?: boolean }).hidden ? undefined : { type: e.type, payload: { sku: (e.payload as { sku: string }).sku } }),
      }),
    });
    const [a, b] = await Promise.all([connect(url), connect(url)]);
    feed.next({ type: 'price.changed', payload: { sku: 'book', cost: 3 } });
    feed.next({ type: 'price.changed', payload: { sku: 'lamp', hidden: true } });
    feed.next({ type: 'stock.changed', payload: { sku: 'book' } });
    feed.next({ type: 'price.dropped', payload: { sku: 'desk' } });
    await Promise.all([a.next(e => e.type === 'price.dropped'), b.next(e => e.type === 'price.dropped')]);
    expect(a.received).toEqual([
      { type: 'price.changed', payload: { sku: 'book' } },
      { type: 'price.dropped', payload: { sku: 'desk' } },
    ]);
    expect(b.received).toEqual(a.received);
  });

  it('takes anything with event$ (a microservice connection) or a token of it', async () => {
    const Feed = createContextToken<{ event$: Subject<{ type: string }> }>('Feed');
    const feed = { event$: new Subject<{ type: string }>() };
    const { url } = await start({}, {}, {
      dependencies: [bindTo(Feed)(() => feed)],
      event$: bridgeToWebSockets({ from: Feed, types: ['Ping'] }),
    });
    const client = await connect(url);
    client.send({ type: 'subscribe', payload: { types: ['Ping'] } });
    await client.next();
    feed.event$.next({ type: 'Ping' });
    expect(await client.next()).toEqual({ type: 'Ping' });
  });

  it('stops with the server and explains bad configuration', async () => {
    const feed = new Subject<{ type: string }>();
    const { server } = await start({}, {}, { event$: bridgeToWebSockets({ from: feed, types: ['#'] }) });
    expect(feed.observed).toBe(true);
    await server.close();
    expect(feed.observed).toBe(false);

    expect(() => bridgeToWebSockets({ from: feed, types: [] })).toThrow("use ['#'] to forward every event");
    await expect(start({}, {}, { event$: bridgeToWebSockets({ from: 42 as never, types: ['#'] }) })).rejects.toThrow(
      'must be an Observable of events, something with `event$`',
    );
  });
});
