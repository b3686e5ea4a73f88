import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchEvent } from '@tributary/core';
import { createWebSocketServer, webSocketListener, WebSocketUpgradeError, WsEffect } from '@tributary/websockets';
import { map } from 'rxjs';
import { cleanup, connect, refused, start } from './helpers';

const whoAmI$: WsEffect = (event$, ctx) =>
  event$.pipe(matchEvent('WhoAmI'), map(() => ({ type: 'You', payload: ctx.client.auth })));

const http: Server[] = [];
afterEach(async () => {
  await cleanup();
  await Promise.all(http.splice(0).map(s => new Promise(resolve => s.close(resolve))));
});

const listenHttp = async (): Promise<{ server: Server; port: number }> => {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`page ${req.url}`);
  });
  http.push(server);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
};

describe('authentication on upgrade', () => {
  const authenticate = (req: { headers: Record<string, unknown> }) =>
    req.headers.authorization === 'Bearer good' ? { user: 'ada' } : undefined;

  it('refuses with 401 before the socket opens', async () => {
    const { url, connection } = await start({ effects: [whoAmI$] }, { authenticate });
    const { status, body } = await refused(url);
    expect(status).toBe(401);
    expect(body).toContain('Unauthorized');
    expect((await refused(url, { headers: { authorization: 'Bearer bad' } })).status).toBe(401);
    expect(connection.clients.size).toBe(0);
  });

  it('accepts a valid request; what authenticate returned is client.auth', async () => {
    const { url } = await start({ effects: [whoAmI$] }, { authenticate });
    const client = await connect(url, { headers: { authorization: 'Bearer good' } });
    client.send({ type: 'WhoAmI' });
    expect(await client.next()).toEqual({ type: 'You', payload: { user: 'ada' } });
  });

  it('an async authenticate may refuse with its own status, message and headers', async () => {
    const { url } = await start(
      {},
      {
        authenticate: async req => {
          await new Promise(resolve => setTimeout(resolve, 5));
          if (!req.headers.authorization) throw new WebSocketUpgradeError(401, 'Send a bearer token', { 'WWW-Authenticate': 'Bearer' });
          throw new WebSocketUpgradeError(403, 'This token may not use the live feed');
        },
      },
    );
    expect(await refused(url)).toEqual({ status: 401, body: 'Send a bearer token\n' });
    expect(await refused(url, { headers: { authorization: 'Bearer x' } })).toEqual({ status: 403, body: 'This token may not use the live feed\n' });
  });

  it('an unexpected failure in authenticate is a plain 401 (details stay in the server log)', async () => {
    const { url } = await start({}, { authenticate: () => { throw new TypeError('jwt secret is undefined'); } });
    expect(await refused(url)).toEqual({ status: 401, body: 'Unauthorized\n' });
  });

  it('an authenticate that never answers is refused with 503 after handshakeTimeout', async () => {
    const { url } = await start({}, { authenticate: () => new Promise(() => undefined), handshakeTimeout: 100 });
    expect((await refused(url)).status).toBe(503);
  });

  it('supports the ws / Marble.js verifyClient hook, sync and with a callback', async () => {
    const sync = await start({}, { verifyClient: info => info.req.headers['x-key'] === 'k' });
    expect((await refused(sync.url)).status).toBe(401);
    await connect(sync.url, { headers: { 'x-key': 'k' } });

    const withCallback = await start({}, { verifyClient: (_info, done) => void setTimeout(() => done!(false, 429, 'Slow down'), 1) });
    expect(await refused(withCallback.url)).toEqual({ status: 429, body: 'Slow down\n' });
  });
});

describe('origin checks', () => {
  it('refuses a browser origin not in allowedOrigins with 403', async () => {
    const { url } = await start({}, { allowedOrigins: ['https://dashboard.example.com'] });
    const { status, body } = await refused(url, { origin: 'https://evil.example.com' });
    expect(status).toBe(403);
    expect(body).toContain('Origin "https://evil.example.com" is not allowed');
    await connect(url, { origin: 'https://dashboard.example.com' });
    // non-browser clients send no Origin
    await connect(url);
  });

  it('a predicate that throws refuses with 500 instead of crashing the server', async () => {
    const { url } = await start({}, { allowedOrigins: () => { throw new Error('config not loaded'); } });
    expect(await refused(url, { origin: 'https://a.example.com' })).toEqual({ status: 500, body: 'Internal Server Error\n' });
    await connect(url);
  });

  it('accepts a predicate', async () => {
    const { url } = await start({}, { allowedOrigins: origin => origin.endsWith('.example.com') });
    await connect(url, { origin: 'https://a.example.com' });
    expect((await refused(url, { origin: 'https://example.org' })).status).toBe(403);
  });
});

describe('paths and attaching to an http.Server', () => {
  it('standalone: only options.path upgrades, others get 404; plain HTTP gets 426', async () => {
    const { url, connection } = await start({}, { path: '/live' });
    expect(url).toMatch(/\/live$/);
    await connect(url);
    const other = url.replace('/live', '/elsewhere');
    expect(await refused(other)).toEqual({ status: 404, body: 'No WebSocket endpoint at /elsewhere\n' });
    const res = await fetch(url.replace('ws://', 'http://'));
    expect(res.status).toBe(426);
    expect(connection.port).toBeGreaterThan(0);
  });

  it('attaches to an existing server on a path, leaving its HTTP routes alone', async () => {
    const { server: httpServer, port } = await listenHttp();
    const ws = await createWebSocketServer({ options: { server: httpServer, path: '/ws' }, listener: webSocketListener({ effects: [whoAmI$] }) });
    const connection = await ws();
    expect(connection.url).toBe(`ws://127.0.0.1:${port}/ws`);
    const client = await connect(`ws://127.0.0.1:${port}/ws`);
    client.send({ type: 'WhoAmI' });
    expect(await client.next()).toEqual({ type: 'You' });
    expect(await (await fetch(`http://127.0.0.1:${port}/index.html`)).text()).toBe('page /index.html');
    expect((await refused(`ws://127.0.0.1:${port}/nope`)).status).toBe(404);

    await ws.close();
    // the HTTP server is the owner's: still up after the WebSocket server closed
    expect(httpServer.listening).toBe(true);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
  });

  it('two WebSocket servers share one HTTP server on distinct paths; the same path twice is an error', async () => {
    const { server: httpServer, port } = await listenHttp();
    const a = await createWebSocketServer({ options: { server: httpServer, path: '/a' }, listener: webSocketListener() });
    const b = await createWebSocketServer({ options: { server: httpServer, path: '/b' }, listener: webSocketListener() });
    const [ca, cb] = await Promise.all([a(), b()]);
    await connect(`ws://127.0.0.1:${port}/a`);
    await connect(`ws://127.0.0.1:${port}/b`);
    expect([ca.clients.size, cb.clients.size]).toEqual([1, 1]);
    const again = await createWebSocketServer({ options: { server: httpServer, path: '/a' }, listener: webSocketListener() });
    await expect(again()).rejects.toThrow('already listens on path "/a"');
    await Promise.all([a.close(), b.close()]);
  });
});
