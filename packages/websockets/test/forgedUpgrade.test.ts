/**
 * The upgrade's checks against forged origins and tokens (issue 19, item 5): look-alike and
 * smuggled origins, duplicated headers, forged, altered and misplaced bearer tokens. A refused
 * upgrade never opens a socket, and a refusal never echoes the token.
 */
import { connect as tcp } from 'node:net';
import { matchEvent } from '@tributary/core';
import type { WsEffect } from '@tributary/websockets';
import { map } from 'rxjs';
import { cleanup, connect, refused, start } from './helpers';

const TOKEN = 'tok-3f9a1c7e5b2d';
const ALLOWED = 'https://app.example.com';

const whoAmI$: WsEffect = (event$, ctx) => event$.pipe(matchEvent('WhoAmI'), map(() => ({ type: 'You', payload: ctx.client.auth })));
/** A strict bearer check, as an application would write it. */
const authenticate = (req: { headers: Record<string, string | string[] | undefined> }) => (req.headers.authorization === `Bearer ${TOKEN}` ? { user: 'ada' } : undefined);

afterEach(cleanup);

/** Sends a hand-written upgrade request (duplicated headers, odd spellings) and returns the status line and body. */
const rawUpgrade = (url: string, headers: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    const { hostname, port, pathname } = new URL(url);
    const socket = tcp(Number(port), hostname);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', chunk => {
      text += chunk;
      // an accepted upgrade keeps the socket open: the head is the answer
      if (text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.setTimeout(3_000, () => socket.destroy());
    socket.write(
      [`GET ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', ...headers, '', ''].join('\r\n'),
    );
  });

describe('forged origins', () => {
  const forged = [
    'https://app.example.com.evil.com',
    'https://evil.com/https://app.example.com',
    'https://app.example.com@evil.com',
    'http://app.example.com',
    'https://app.example.com:8443',
    'https://APP.EXAMPLE.COM',
    'https://app.example.com/',
    'null',
    'https://evil-app.example.com',
  ];

  it.each(forged)('refuses %j with 403 and opens no socket', async origin => {
    const { url, connection } = await start({}, { allowedOrigins: [ALLOWED] });
    expect((await refused(url, { origin })).status).toBe(403);
    expect(connection.clients.size).toBe(0);
  });

  it('a second Origin header cannot smuggle an allowed origin past the check', async () => {
    const { url, connection } = await start({}, { allowedOrigins: [ALLOWED] });
    const answer = await rawUpgrade(url, ['Origin: https://evil.com', `Origin: ${ALLOWED}`]);
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    const reversed = await rawUpgrade(url, [`Origin: ${ALLOWED}`, 'Origin: https://evil.com']);
    expect(reversed).toMatch(/^HTTP\/1\.1 403/);
    expect(connection.clients.size).toBe(0);
    expect(await rawUpgrade(url, [`Origin: ${ALLOWED}`])).toMatch(/^HTTP\/1\.1 101/);
  });

  it('a CR/LF in an origin cannot split the refusal into forged headers', async () => {
    const { url } = await start({}, { allowedOrigins: [ALLOWED] });
    // Node refuses a raw CR inside a header value itself (400); an encoded one stays text in the body
    const answer = await rawUpgrade(url, ['Origin: https://evil.com%0d%0aSet-Cookie: x=1']);
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    expect(answer.split('\r\n\r\n')[0]).not.toMatch(/Set-Cookie/i);
  });
});

describe('forged tokens', () => {
  const forged: Array<[string, Record<string, string>]> = [
    ['no token', {}],
    ['another token', { authorization: 'Bearer tok-000000000000' }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token with a suffix', { authorization: `Bearer ${TOKEN}x` }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
    ['lower-case scheme', { authorization: `bearer ${TOKEN}` }],
    ['padded', { authorization: `Bearer  ${TOKEN}` }],
    ['in another header', { 'x-authorization': `Bearer ${TOKEN}` }],
    ['as a cookie', { cookie: `authorization=Bearer ${TOKEN}` }],
  ];

  it.each(forged)('%s: 401, no socket, and the refusal does not echo what was sent', async (_, headers) => {
    const { url, connection } = await start({ effects: [whoAmI$] }, { authenticate });
    const { status, body } = await refused(url, { headers });
    expect(status).toBe(401);
    expect(body).not.toContain(TOKEN.slice(0, 8));
    expect(connection.clients.size).toBe(0);
  });

  it('a token in the query string is not a header: refused', async () => {
    const { url } = await start({ effects: [whoAmI$] }, { authenticate });
    expect((await refused(`${url}?authorization=${encodeURIComponent(`Bearer ${TOKEN}`)}`)).status).toBe(401);
  });

  it('a duplicated Authorization header: Node keeps the first, so a forged first one is refused', async () => {
    const { url, connection } = await start({ effects: [whoAmI$] }, { authenticate });
    expect(await rawUpgrade(url, ['Authorization: Bearer forged', `Authorization: Bearer ${TOKEN}`])).toMatch(/^HTTP\/1\.1 401/);
    expect(connection.clients.size).toBe(0);
    expect(await rawUpgrade(url, [`Authorization: Bearer ${TOKEN}`, 'Authorization: Bearer forged'])).toMatch(/^HTTP\/1\.1 101/);
  });

  it('a falsy answer of any kind refuses (0, "", null, NaN), an accepted one is client.auth', async () => {
    for (const answer of [0, '', null, NaN, false, undefined]) {
      const { url } = await start({}, { authenticate: () => answer as never });
      expect((await refused(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(401);
    }
    const { url } = await start({ effects: [whoAmI$] }, { authenticate });
    const client = await connect(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    client.send({ type: 'WhoAmI' });
    expect(await client.next()).toEqual({ type: 'You', payload: { user: 'ada' } });
  });

  it('an authenticate that rejects with a non-Error (a string holding the token) is a plain 401 that does not echo it', async () => {
    const { url } = await start({}, { authenticate: () => Promise.reject(`bad token ${TOKEN}`) });
    const { status, body } = await refused(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect({ status, body }).toEqual({ status: 401, body: 'Unauthorized\n' });
  });
});
