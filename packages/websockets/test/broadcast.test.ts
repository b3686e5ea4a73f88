import { matchEvent } from '@tributary/core';
import { broadcast, WsEffect } from '@tributary/websockets';
import { tap } from 'rxjs';
import { cleanup, connect, start, wait } from './helpers';

afterEach(cleanup);

describe('broadcast', () => {
  it('sends to every connected client, the sender once', async () => {
    const seenDownstream: string[] = [];
    const chat$: WsEffect = (event$, ctx) =>
      event$.pipe(
        matchEvent('Post'),
        broadcast(ctx.client, e => ({ type: 'Posted', payload: e.payload })),
        tap(e => seenDownstream.push(e.type)),
      );
    const { url, connection } = await start({ effects: [chat$] });
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect(url)));
    expect(connection.clients.size).toBe(8);

    clients[3].send({ type: 'Post', payload: 'hi all' });
    const got = await Promise.all(clients.map(c => c.next(e => e.type === 'Posted')));
    expect(got.every(e => e.payload === 'hi all')).toBe(true);

    await wait(50);
    // the operator passes the event on, but the sender is not sent it a second time
    expect(clients[3].received.filter(e => e.type === 'Posted')).toHaveLength(1);
    expect(seenDownstream).toEqual(['Posted']);
  });

  it('server.broadcast reaches every client and returns how many', async () => {
    const { url, connection } = await start();
    const clients = await Promise.all(Array.from({ length: 5 }, () => connect(url)));
    expect(connection.broadcast({ type: 'Maintenance', payload: { in: '5 min' } })).toBe(5);
    for (const c of clients) expect(await c.next()).toEqual({ type: 'Maintenance', payload: { in: '5 min' } });
  });
});
