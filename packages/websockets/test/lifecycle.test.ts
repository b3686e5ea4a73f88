import { combineEffects, matchEvent } from '@tributary/core';
import {
  createWebSocketServer,
  isCloseClientEvent,
  isCloseEvent,
  isConnectionEvent,
  isListeningEvent,
  ServerEvent,
  webSocketListener,
  WsEffect,
  WsServerEffect,
} from '@tributary/websockets';
import { map, tap } from 'rxjs';
import WebSocket from 'ws';
import { cleanup, connect, eventually, start, wait } from './helpers';

afterEach(cleanup);

const echo$: WsEffect = event$ => event$.pipe(matchEvent('Echo'), map(e => ({ type: 'Echoed', payload: e.payload })));

describe('server lifecycle', () => {
  it('reports listening, connection and close_client to event$; connection effects can greet', async () => {
    const seen: string[] = [];
    const events$: WsServerEffect = event$ =>
      event$.pipe(
        tap(e => {
          if (isListeningEvent(e)) seen.push(`listening:${e.payload.port > 0}`);
          if (isConnectionEvent(e)) seen.push('connection');
          if (isCloseClientEvent(e)) seen.push(`close_client:${e.payload.code}:${e.payload.reason}`);
          if (isCloseEvent(e)) seen.push('close');
        }),
      );
    const welcome$: WsServerEffect = event$ =>
      event$.pipe(
        matchEvent(ServerEvent.connection),
        tap(({ payload }) => payload.client.sendEvent({ type: 'Welcome', payload: { id: payload.client.id } })),
      );
    const { url, server } = await start({}, {}, { event$: combineEffects(events$, welcome$) });
    const client = await connect(url);
    expect(await client.next()).toMatchObject({ type: 'Welcome', payload: { id: expect.any(String) } });
    client.socket.close(1000, 'bye');
    await eventually(() => seen.includes('close_client:1000:bye'), 2000, 'close_client');
    await server.close();
    expect(seen).toEqual(['listening:true', 'connection', 'close_client:1000:bye', 'close']);
  });

  it('close() sends 1001 to every client, waits for them and frees the port', async () => {
    const { url, server, connection } = await start({ effects: [echo$] });
    const clients = await Promise.all([connect(url), connect(url), connect(url)]);
    await server.close();
    for (const c of clients) expect(await c.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(connection.clients.size).toBe(0);
    await expect(connect(url)).rejects.toThrow();
    // closing twice is fine; listening again is not
    await server.close();
    await expect(server()).rejects.toThrow('was closed');
  });

  it('close() takes a code and reason, and terminates clients that do not answer within the timeout', async () => {
    const { url, server } = await start();
    const polite = await connect(url);
    await server.close({ code: 1012, reason: 'Restarting' });
    expect(await polite.closed).toEqual({ code: 1012, reason: 'Restarting' });

    const other = await start();
    const stubborn = await connect(other.url);
    (stubborn.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const started = Date.now();
    await other.server.close({ timeout: 150 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(other.connection.clients.size).toBe(0);
  });

  it('a message over maxPayload closes that client with 1009; others carry on', async () => {
    const { url } = await start({ effects: [echo$] }, { maxPayload: 1024 });
    const [big, small] = await Promise.all([connect(url), connect(url)]);
    big.send({ type: 'Echo', payload: 'x'.repeat(2000) });
    expect((await big.closed).code).toBe(1009);
    small.send({ type: 'Echo', payload: 'x'.repeat(900) });
    expect((await small.next()).type).toBe('Echoed');
  });

  it('noServer mode: upgrades routed by the application through handleUpgrade', async () => {
    const { createServer } = await import('node:http');
    const ws = await createWebSocketServer({ listener: webSocketListener({ effects: [echo$] }) });
    const connection = await ws();
    const http = createServer();
    http.on('upgrade', (req, socket, head) => connection.handleUpgrade(req, socket, head));
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as { port: number }).port;
    const client = await connect(`ws://127.0.0.1:${port}/anything`);
    client.send({ type: 'Echo', payload: 1 });
    expect(await client.next()).toEqual({ type: 'Echoed', payload: 1 });
    await ws.close();
    await new Promise(resolve => http.close(resolve));
  });

  it('explains bad options', async () => {
    const listener = webSocketListener();
    const { createServer } = await import('node:http');
    await expect(createWebSocketServer({ options: { port: 1, server: createServer() }, listener })).rejects.toThrow('not both');
    await expect(createWebSocketServer({ options: { port: -1 }, listener })).rejects.toThrow('integer from 0 to 65535');
    await expect(createWebSocketServer({ options: { port: 0, path: 'ws' }, listener })).rejects.toThrow('must start with "/"');
    await expect(createWebSocketServer({ options: { port: 0, maxBufferedBytes: 0 }, listener })).rejects.toThrow('maxBufferedBytes must be a positive number');
    const { connection } = await start();
    const taken = await createWebSocketServer({ options: { port: connection.port, host: '127.0.0.1' }, listener });
    await expect(taken()).rejects.toThrow('already in use');
    await expect(taken()).rejects.toMatchObject({ name: 'WebSocketServerError' });
  });

  it('binary frames reach a custom transformer', async () => {
    const { url } = await start({
      effects: [echo$],
      eventTransformer: {
        decode: data => JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)),
        encode: event => JSON.stringify(event),
      },
    });
    const client = await connect(url);
    client.socket.send(Buffer.from(JSON.stringify({ type: 'Echo', payload: 'bin' })), { binary: true });
    expect(await client.next()).toEqual({ type: 'Echoed', payload: 'bin' });
    await wait(1);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });
});
