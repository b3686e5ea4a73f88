import { matchEvent } from '@tributary/core';
import { WsEffect } from '@tributary/websockets';
import { map } from 'rxjs';
import { cleanup, connect, start } from './helpers';

const echo$: WsEffect = event$ =>
  event$.pipe(
    matchEvent('Echo'),
    map(event => ({ type: 'Echoed', payload: event.payload, metadata: event.metadata })),
  );

afterEach(cleanup);

describe('echo', () => {
  it('answers the sender with what its effect emits', async () => {
    const { url } = await start({ effects: [echo$] });
    const client = await connect(url);
    client.send({ type: 'Echo', payload: { text: 'hello' } });
    const reply = await client.next();
    expect(reply).toMatchObject({ type: 'Echoed', payload: { text: 'hello' } });
  });

  it('sends back the client correlationId and only public metadata', async () => {
    const { url } = await start({ effects: [echo$] });
    const client = await connect(url);
    client.send({ type: 'Echo', payload: 1, metadata: { correlationId: 'c-42', replyTo: 'forged', headers: { a: 'b' } } });
    const reply = await client.next();
    expect(reply.metadata?.correlationId).toBe('c-42');
    expect(Object.keys(reply.metadata ?? {}).sort()).toEqual(['correlationId', 'id', 'timestamp']);
  });

  it('answers only the sender, each client its own', async () => {
    const { url } = await start({ effects: [echo$] });
    const [a, b] = await Promise.all([connect(url), connect(url)]);
    a.send({ type: 'Echo', payload: 'from a' });
    b.send({ type: 'Echo', payload: 'from b' });
    expect((await a.next()).payload).toBe('from a');
    expect((await b.next()).payload).toBe('from b');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(a.received).toHaveLength(1);
    expect(b.received).toHaveLength(1);
  });

  it('keeps many messages from one client in order', async () => {
    const { url } = await start({ effects: [echo$] });
    const client = await connect(url);
    for (let i = 0; i < 200; i++) client.send({ type: 'Echo', payload: i });
    await client.next(e => e.payload === 199);
    expect(client.received.map(e => e.payload)).toEqual([...Array(200).keys()]);
  });
});
