import { act, matchEvent } from '@tributary/core';
import { WebSocketStatus } from '@tributary/websockets';
import type { WsEffect } from '@tributary/websockets';
import { filter } from 'rxjs';
import { cleanup, connect, eventually, refused, start, wait } from './helpers';

afterEach(cleanup);

describe('server limits', () => {
  it('maxConnections: an upgrade over it is refused with 503; a freed slot is taken again', async () => {
    const { url, connection } = await start({}, { maxConnections: 2, heartbeatInterval: 0 });
    const first = await connect(url);
    await connect(url);
    const refusal = await refused(url);
    expect(refusal.status).toBe(503);
    expect(refusal.body).toMatch(/maxConnections 2/);
    first.socket.close();
    await eventually(() => connection.clients.size === 1, 2000, 'first client gone');
    await expect(connect(url)).resolves.toBeDefined();
  });

  it('maxMessagesPerSecond: a flooding client is closed with 1008; a client within the rate is not', async () => {
    const seen: string[] = [];
    const record$: WsEffect = event$ =>
      event$.pipe(
        matchEvent('Note'),
        act(event => void seen.push(String(event.payload))),
        filter(() => false),
      );
    const { url } = await start({ effects: [record$] }, { maxMessagesPerSecond: 20, heartbeatInterval: 0 });
    const flood = await connect(url);
    const calm = await connect(url);
    for (let i = 0; i < 100; i++) flood.send({ type: 'Note', payload: `f${i}` });
    for (let i = 0; i < 5; i++) {
      calm.send({ type: 'Note', payload: `c${i}` });
      await wait(60);
    }
    const closed = await flood.closed;
    expect(closed.code).toBe(WebSocketStatus.POLICY_VALIDATION);
    expect(closed.reason).toMatch(/Rate limit/);
    expect(seen.filter(s => s.startsWith('f')).length).toBeLessThanOrEqual(21); // the burst, then cut
    await eventually(() => seen.filter(s => s.startsWith('c')).length === 5, 2000, 'calm client handled');
    expect(calm.socket.readyState).toBe(1);
  });

  it('maxPendingMessages: a client whose messages are still being processed is not read further until they finish; then all are handled', async () => {
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    let started = 0;
    let finished = 0;
    const slow$: WsEffect = event$ =>
      event$.pipe(
        matchEvent('Job'),
        act(async () => {
          started++;
          await gate;
          finished++;
        }),
        filter(() => false),
      );
    const { url } = await start({ effects: [slow$] }, { maxPendingMessages: 4, maxMessagesPerSecond: 0, heartbeatInterval: 0 });
    const client = await connect(url);
    for (let i = 0; i < 200; i++) client.send({ type: 'Job', payload: i });
    await wait(300);
    const startedWhileBlocked = started;
    process.stdout.write(`[websockets flow control] 200 messages sent, maxPendingMessages 4: ${startedWhileBlocked} taken while blocked\n`);
    // reading stopped: only a few were taken (ws may hand over what it had already parsed)
    expect(startedWhileBlocked).toBeGreaterThanOrEqual(4);
    expect(startedWhileBlocked).toBeLessThan(50);
    release();
    await eventually(() => finished === 200, 5000, 'all jobs handled');
  });
});
