import type { Event } from '@tributary/core';
import {
  createWebSocketServer,
  WebSocketServerConfig,
  WebSocketServerConnection,
  WebSocketServerIO,
  webSocketListener,
  WebSocketListenerConfig,
  WebSocketServerOptions,
} from '@tributary/websockets';
import WebSocket, { ClientOptions } from 'ws';

export const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `check` until it holds (bounded). */
export const eventually = async (check: () => boolean, timeout = 5000, what = 'condition'): Promise<void> => {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeout} ms`);
    await wait(5);
  }
};

/** A promise that fails after `ms` instead of hanging the suite. */
export const within = <T>(ms: number, what: string, promise: Promise<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    promise.then(
      value => (clearTimeout(timer), resolve(value)),
      error => (clearTimeout(timer), reject(error)),
    );
  });

export interface Started {
  server: WebSocketServerIO;
  connection: WebSocketServerConnection;
  url: string;
}

const running = new Set<WebSocketServerIO>();
const sockets = new Set<WebSocket>();

/** Starts a server on an ephemeral loopback port. */
export const start = async (
  listener: WebSocketListenerConfig = {},
  options: WebSocketServerOptions = {},
  extra: Partial<WebSocketServerConfig> = {},
): Promise<Started> => {
  const server = await createWebSocketServer({
    options: { port: 0, host: '127.0.0.1', ...options },
    listener: webSocketListener(listener),
    ...extra,
  });
  running.add(server);
  const connection = await server();
  return { server, connection, url: connection.url! };
};

/** A test client: every message it gets, parsed, and helpers to wait for them. */
export interface TestClient {
  socket: WebSocket;
  received: Event[];
  send(event: unknown): void;
  sendRaw(data: string): void;
  next(predicate?: (e: Event) => boolean, ms?: number): Promise<Event>;
  closed: Promise<{ code: number; reason: string }>;
  /** Pings received from the server since the socket was created. */
  pings: { count: number };
}

export const connect = async (url: string, options: ClientOptions = {}): Promise<TestClient> => {
  const socket = new WebSocket(url, options);
  sockets.add(socket);
  const received: Event[] = [];
  const waiters: Array<{ predicate: (e: Event) => boolean; resolve: (e: Event) => void }> = [];
  let seen = 0;
  // counted from the start: a ping may arrive before the test gets the socket
  const pings = { count: 0 };
  socket.on('ping', () => pings.count++);
  socket.on('message', data => {
    const event = JSON.parse(data.toString()) as Event;
    received.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>(resolve =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await within(
    3000,
    `connect ${url}`,
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    }),
  );
  return {
    socket,
    received,
    closed,
    pings,
    send: event => socket.send(JSON.stringify(event)),
    sendRaw: data => socket.send(data),
    // resolves with the first not-yet-consumed message matching the predicate
    next: (predicate = () => true, ms = 3000) => {
      const found = received.slice(seen).find(predicate);
      if (found) {
        seen = received.indexOf(found) + 1;
        return Promise.resolve(found);
      }
      return within(
        ms,
        'message',
        new Promise<Event>(resolve =>
          waiters.push({
            predicate,
            resolve: e => {
              seen = received.indexOf(e) + 1;
              resolve(e);
            },
          }),
        ),
      );
    },
  };
};

/** An upgrade refused before the socket opens: the HTTP status and body. */
export const refused = (url: string, options: ClientOptions = {}): Promise<{ status: number; body: string }> =>
  within(
    3000,
    `refusal of ${url}`,
    new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      socket.on('open', () => reject(new Error('the socket opened')));
      socket.on('error', () => undefined);
      socket.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
    }),
  );

/** Closes every client and server a test opened. */
export const cleanup = async (): Promise<void> => {
  for (const socket of sockets) socket.terminate();
  sockets.clear();
  await Promise.all([...running].map(server => server.close({ timeout: 500 })));
  running.clear();
};
