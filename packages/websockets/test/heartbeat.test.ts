import { matchEvent } from '@tributary/core';
import { ServerEvent, WsServerEffect } from '@tributary/websockets';
import { tap } from 'rxjs';
import { cleanup, connect, eventually, start, wait } from './helpers';

afterEach(cleanup);

describe('heartbeat', () => {
  it('terminates a client that stops answering pings, and keeps the ones that answer', async () => {
    const left: Array<{ code: number }> = [];
    const closes$: WsServerEffect = event$ => event$.pipe(matchEvent(ServerEvent.closeClient), tap(e => left.push({ code: e.payload.code })));
    const { url, connection } = await start({}, { heartbeatInterval: 100 }, { event$: closes$ });
    const healthy = await connect(url);
    const dead = await connect(url, { autoPong: false });
    const closed = await dead.closed;
    expect(dead.pings.count).toBeGreaterThanOrEqual(1);
    // terminated without a close frame
    expect(closed.code).toBe(1006);
    await eventually(() => connection.clients.size === 1, 1000, 'dead client removed');
    expect(left).toEqual([{ code: 1006 }]);

    // the healthy client went through several heartbeats and is still connected
    await wait(350);
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    expect(connection.clients.size).toBe(1);
  });

  it('can be turned off with heartbeatInterval: 0', async () => {
    const { url, connection } = await start({}, { heartbeatInterval: 0 });
    const quiet = await connect(url, { autoPong: false });
    await wait(100);
    expect(quiet.socket.readyState).toBe(quiet.socket.OPEN);
    expect(connection.clients.size).toBe(1);
  });
});
