import { matchEvent } from '@tributary/core';
import { publishToSubscribers, WsEffect } from '@tributary/websockets';
import { cleanup, connect, start, wait } from './helpers';

afterEach(cleanup);

const say$: WsEffect = (event$, ctx) =>
  event$.pipe(
    matchEvent('Say'),
    publishToSubscribers(ctx.client, e => ({ type: `chat.${(e.payload as { room: string }).room}`, payload: e.payload })),
  );

describe('rooms and topics', () => {
  it('a client receives only the types it subscribed to', async () => {
    const { url, connection } = await start();
    const [orders, payments, all, none] = await Promise.all([connect(url), connect(url), connect(url), connect(url)]);
    orders.send({ type: 'subscribe', payload: { types: ['OrderCreated'] } });
    payments.send({ type: 'subscribe', payload: { types: ['payment.*'] } });
    all.send({ type: 'subscribe', payload: ['#'] });
    expect(await orders.next()).toMatchObject({ type: 'subscribed', payload: { types: ['OrderCreated'] } });
    expect(await payments.next()).toMatchObject({ type: 'subscribed', payload: { types: ['payment.*'] } });
    expect(await all.next()).toMatchObject({ type: 'subscribed', payload: { types: ['#'] } });

    expect(connection.publish({ type: 'OrderCreated', payload: { orderId: 'o-1' } })).toBe(2);
    expect(connection.publish({ type: 'payment.captured', payload: { orderId: 'o-1' } })).toBe(2);
    expect(connection.publish({ type: 'payment.card.declined' })).toBe(1);

    await all.next(e => e.type === 'payment.card.declined');
    await wait(30);
    expect(orders.received.slice(1).map(e => e.type)).toEqual(['OrderCreated']);
    expect(payments.received.slice(1).map(e => e.type)).toEqual(['payment.captured']);
    expect(all.received.slice(1).map(e => e.type)).toEqual(['OrderCreated', 'payment.captured', 'payment.card.declined']);
    expect(none.received).toEqual([]);
  });

  it('unsubscribe stops the flow and reports what is left', async () => {
    const { url, connection } = await start();
    const client = await connect(url);
    client.send({ type: 'subscribe', payload: { types: ['A', 'B'] } });
    await client.next();
    client.send({ type: 'unsubscribe', payload: { types: ['A'] }, metadata: { correlationId: 'u-1' } });
    const reply = await client.next();
    expect(reply).toMatchObject({ type: 'subscribed', payload: { types: ['B'] }, metadata: { correlationId: 'u-1' } });
    expect(connection.publish({ type: 'A' })).toBe(0);
    expect(connection.publish({ type: 'B' })).toBe(1);
  });

  it('rooms from an effect: publishToSubscribers reaches the room only', async () => {
    const { url } = await start({ effects: [say$] });
    const [alice, bob, carol] = await Promise.all([connect(url), connect(url), connect(url)]);
    alice.send({ type: 'subscribe', payload: { types: ['chat.lobby'] } });
    bob.send({ type: 'subscribe', payload: { types: ['chat.lobby'] } });
    carol.send({ type: 'subscribe', payload: { types: ['chat.games'] } });
    await Promise.all([alice.next(), bob.next(), carol.next()]);

    alice.send({ type: 'Say', payload: { room: 'lobby', text: 'hello lobby' } });
    expect(await bob.next()).toMatchObject({ type: 'chat.lobby', payload: { text: 'hello lobby' } });
    expect(await alice.next()).toMatchObject({ type: 'chat.lobby' });
    await wait(30);
    expect(carol.received.map(e => e.type)).toEqual(['subscribed']);
    expect(alice.received.filter(e => e.type === 'chat.lobby')).toHaveLength(1);
  });

  it('refuses a malformed subscribe, a disallowed type and too many types, keeping the rest', async () => {
    const { url } = await start({
      subscriptions: { maxTypes: 3, allow: type => !type.startsWith('admin.') },
    });
    const client = await connect(url);
    client.send({ type: 'subscribe', payload: { types: [42] } });
    expect(await client.next()).toMatchObject({ type: 'subscribe', error: { name: 'SubscriptionError' } });
    client.send({ type: 'subscribe', payload: { types: ['admin.#'] } });
    const denied = await client.next();
    expect(denied.error.message).toContain('"admin.#" is not allowed');
    client.send({ type: 'subscribe', payload: { types: ['A', 'B'] } });
    await client.next(e => e.type === 'subscribed');
    client.send({ type: 'subscribe', payload: { types: ['C', 'D'] } });
    expect((await client.next()).error.message).toContain('at most 3 subscriptions');
    client.send({ type: 'subscribe', payload: 'C' });
    expect(await client.next()).toMatchObject({ type: 'subscribed', payload: { types: ['A', 'B', 'C'] } });
  });

  it('can be turned off: subscribe is then an unknown event', async () => {
    const { url } = await start({ subscriptions: false });
    const client = await connect(url);
    client.send({ type: 'subscribe', payload: { types: ['A'] } });
    expect(await client.next()).toMatchObject({ type: 'subscribe', error: { name: 'UnknownEventError' } });
  });
});
