import type { Socket } from 'node:net';
import { WebSocketStatus } from '@tributary/websockets';
import { cleanup, connect, eventually, start, wait } from './helpers';

afterEach(cleanup);

const LIMIT = 64 * 1024;
const CHUNK = 'x'.repeat(16 * 1024);

describe('slow clients', () => {
  it('cuts a client that cannot keep up with 1013; its buffer never grows past the limit; others carry on', async () => {
    const { url, connection } = await start({}, { maxBufferedBytes: LIMIT, heartbeatInterval: 0 });
    const slow = await connect(url);
    const fast = await connect(url);
    slow.send({ type: 'subscribe', payload: { types: ['marker.slow'] } });
    await slow.next();
    // the slow client stops reading: the kernel buffers fill up, then ws' send buffer grows
    const rawSocket = (slow.socket as unknown as { _socket: Socket })._socket;
    rawSocket.pause();
    const serverSide = [...connection.clients].find(c => c.isSubscribed('marker.slow'))!;
    expect(serverSide).toBeDefined();

    let peak = 0;
    let sent = 0;
    for (let i = 0; i < 4000 && connection.clients.size === 2 && serverSide.readyState === 1; i++) {
      connection.broadcast({ type: 'Tick', payload: { i, data: CHUNK } });
      sent++;
      for (const client of connection.clients) peak = Math.max(peak, client.bufferedAmount);
      if (i % 20 === 19) await wait(1);
    }
    if (process.env.DEBUG_SLOW) console.log({ sent, peak });
    // the slow client was cut long before all 64 MB were queued for it
    expect(sent).toBeLessThan(4000);
    expect(serverSide.readyState).toBeGreaterThanOrEqual(2);
    // bounded: at most the limit plus one message in flight
    expect(peak).toBeLessThanOrEqual(LIMIT + CHUNK.length + 200);

    // the fast client got everything it was sent
    await fast.next(e => (e.payload as { i: number }).i === sent - 1, 5000);

    // once it reads again, the slow client finds the close frame with its code
    rawSocket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(WebSocketStatus.TRY_AGAIN_LATER);
    expect(closed.reason).toContain('Slow client');
    await eventually(() => connection.clients.size === 1, 2000, 'slow client removed');
  });

  it('terminates a cut client that never reads again, after closeTimeout', async () => {
    const { url, connection } = await start({}, { maxBufferedBytes: LIMIT, heartbeatInterval: 0, closeTimeout: 200 });
    const slow = await connect(url);
    (slow.socket as unknown as { _socket: Socket })._socket.pause();
    for (let i = 0; i < 4000 && connection.clients.size === 1 && [...connection.clients][0].readyState === 1; i++) {
      connection.broadcast({ type: 'Tick', payload: CHUNK });
      if (i % 20 === 19) await wait(1);
    }
    await eventually(() => connection.clients.size === 0, 3000, 'cut client terminated');
  });
});
