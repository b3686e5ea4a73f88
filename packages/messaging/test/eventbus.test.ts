import { act, bindEagerlyTo, bindTo, contextFactory, createContextToken, createReader, Event, lookup, matchEvent, useContext } from '@tributary/core';
import {
  EventBus,
  EventBusClient,
  EventBusClientToken,
  EventBusToken,
  LocalBroker,
  messagingListener,
  MsgEffect,
  reply,
} from '@tributary/messaging';
import { firstValueFrom, from, map, mergeMap, toArray, take } from 'rxjs';
import { eventually, localClient, startLocalService, uniqueChannel } from './helpers';

const getUser$: MsgEffect = event$ =>
  event$.pipe(matchEvent('GetUser'), act(e => reply(e)({ type: 'User', payload: { id: e.payload, name: 'Ada' } })));

describe('EventBus and EventBusClient', () => {
  it.each([
    ['bus first, eager', (bus: any, client: any) => [bindEagerlyTo(EventBusToken)(bus), bindEagerlyTo(EventBusClientToken)(client)]],
    ['client first, eager', (bus: any, client: any) => [bindEagerlyTo(EventBusClientToken)(client), bindEagerlyTo(EventBusToken)(bus)]],
    ['client first, lazy bus', (bus: any, client: any) => [bindTo(EventBusClientToken)(client), bindTo(EventBusToken)(bus)]],
  ])('works whatever the binding order (%s)', async (_name, bindings) => {
    const context = await contextFactory(...bindings(EventBus({ listener: messagingListener({ effects: [getUser$] }) }), EventBusClient));
    const client = useContext(EventBusClientToken)(lookup(context));
    const user = await firstValueFrom(client.send({ type: 'GetUser', payload: 'u-1' }));
    expect(user).toMatchObject({ type: 'User', payload: { id: 'u-1', name: 'Ada' } });
  });

  it('passes events in-process without serializing them', async () => {
    const received: unknown[] = [];
    const payload = { when: new Date(0), big: 10n };
    const context = await contextFactory(
      bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [e$ => e$.pipe(matchEvent('Obj'), act(e => { received.push(e.payload); }))] }) })),
      bindTo(EventBusClientToken)(EventBusClient),
    );
    const client = useContext(EventBusClientToken)(lookup(context));
    await client.emit({ type: 'Obj', payload });
    await eventually(() => received.length === 1);
    expect(received[0]).toBe(payload); // the same object: no JSON round trip
  });

  it('event$ shows every event on the bus, inputs and outputs', async () => {
    const context = await contextFactory(
      bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [getUser$] }) })),
      bindTo(EventBusClientToken)(EventBusClient),
    );
    const client = useContext(EventBusClientToken)(lookup(context));
    const seen = firstValueFrom(client.event$.pipe(take(2), map(e => e.type), toArray()));
    await new Promise(resolve => setTimeout(resolve, 0));
    await firstValueFrom(client.send({ type: 'GetUser', payload: 'u-2' }));
    expect(await seen).toEqual(['GetUser', 'User']);
  });

  it('publish on the bus reaches the bus effects', async () => {
    const got: Event[] = [];
    const context = await contextFactory(
      bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [e$ => e$.pipe(matchEvent('Published'), act(e => { got.push(e); }))] }) })),
      bindTo(EventBusClientToken)(EventBusClient),
    );
    await useContext(EventBusClientToken)(lookup(context)).publish({ type: 'Published', payload: 1 });
    await eventually(() => got.length === 1);
  });

  it('is usable from inside another microservice effect, through the context', async () => {
    const broker = new LocalBroker();
    const channel = uniqueChannel('orders');
    const Audit = createContextToken<string[]>('Audit');
    const audit: string[] = [];
    const record$: MsgEffect = (event$, ctx) => {
      const log = useContext(Audit)(ctx.ask);
      return event$.pipe(matchEvent('Record'), act(e => { log.push(String(e.payload)); }));
    };
    const busDeps = [
      bindTo(Audit)(audit),
      bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [record$] }) })),
      bindEagerlyTo(EventBusClientToken)(EventBusClient),
    ];
    // the order service reads the bus client from its context and emits on the bus
    const placeOrder$: MsgEffect = (event$, ctx) => {
      const bus = useContext(EventBusClientToken)(ctx.ask);
      return event$.pipe(
        matchEvent('PlaceOrder'),
        act(e => from(bus.emit({ type: 'Record', payload: `order ${e.payload}` })).pipe(mergeMap(() => [reply(e)({ type: 'OrderPlaced', payload: e.payload })]))),
      );
    };
    const { createMicroservice, Transport } = await import('@tributary/messaging');
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker },
      listener: messagingListener({ effects: [placeOrder$] }),
      dependencies: busDeps,
    });
    const connection = await microservice();
    const client = await localClient(broker, channel, { timeout: 5000 });
    const placed = await firstValueFrom(client.send({ type: 'PlaceOrder', payload: 42 }));
    expect(placed.type).toBe('OrderPlaced');
    await eventually(() => audit.length === 1);
    expect(audit).toEqual(['order 42']);
    await connection.close();
    void startLocalService; void createReader;
  });
});
