import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context, Event, ServerConfig, ServerIO } from '@tributary/core';
import type { Observable } from 'rxjs';
import type { WsServerEffect } from '../effects/websocket.effects.interface';
import type { WebSocketData } from '../websocket.interface';
import type { webSocketListener } from './webSocketListener';
import type { AllServerEvents } from './serverEvents';
import type { WebSocketServerOptions } from './webSocketServerOptions';

/**
 * One connected client, as effects see it in `ctx.client`. Sending never blocks and never
 * buffers without bound: a client whose unsent bytes pass `maxBufferedBytes` is closed
 * with 1013 and further sends return `false`.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { tap } from 'rxjs';
 * import { WsEffect } from '@tributary/websockets';
 * export const join$: WsEffect = (event$, ctx) =>
 *   event$.pipe(matchEvent('JoinRoom'), tap(e => ctx.client.subscribe([`chat.${e.payload}`])));
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketClientConnection {
  /** Unique per connection. */
  readonly id: string;
  /** The client's IP address. */
  readonly address: string;
  /** What `authenticate` returned (undefined without it). */
  readonly auth: unknown;
  /** False once it missed a heartbeat ping. */
  isAlive: boolean;
  /** `ws` ready state: 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes queued for this client and not yet written to the network. */
  readonly bufferedAmount: number;
  /** The event types it subscribed to (AMQP-style wildcards allowed: `payment.*`, `#`). */
  readonly subscriptions: ReadonlyArray<string>;
  /** Raw messages from the client (string for text frames, Buffer for binary). */
  readonly message$: Observable<WebSocketData>;
  /** Emits once, when the connection is closed. */
  readonly close$: Observable<{ code: number; reason: string }>;
  /** Sends an event to this client; `false` if it is not open or was cut for being slow. */
  sendEvent<T extends Event>(event: T): boolean;
  /** Marble.js shape of `sendEvent`. */
  sendResponse<T extends Event>(event: T): Observable<boolean>;
  /** Sends an event to every connected client. */
  sendBroadcastResponse<T extends Event>(event: T): Observable<boolean>;
  /** Sends an event to every client subscribed to its type; returns how many got it. */
  publish<T extends Event>(event: T): number;
  /** Sends raw data (bounded like every send). */
  send(data: string | Buffer): boolean;
  /** Adds event types (or patterns) to its subscriptions; returns all of them. */
  subscribe(types: ReadonlyArray<string>): ReadonlyArray<string>;
  /** Removes event types (or patterns) from its subscriptions; returns the remaining ones. */
  unsubscribe(types: ReadonlyArray<string>): ReadonlyArray<string>;
  /** Whether an event of this type reaches the client through its subscriptions. */
  isSubscribed(type: string): boolean;
  /** Starts the close handshake (terminated if it does not finish within `closeTimeout`). */
  close(code?: number, reason?: string): void;
  /** Drops the connection at once. */
  terminate(): void;
}

/**
 * A listening server, as `await server()` returns it and as server effects see it in
 * `ctx.client`.
 *
 * @example
 * ```ts
 * import { createWebSocketServer, webSocketListener } from '@tributary/websockets';
 * const server = await createWebSocketServer({ options: { port: 0 }, listener: webSocketListener() });
 * const connection = await server();
 * connection.publish({ type: 'PriceChanged', payload: { sku: 'book', price: 18 } });
 * await connection.close();
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketServerConnection {
  /** Every open client. */
  readonly clients: ReadonlySet<WebSocketClientConnection>;
  /** The port listened on (standalone or attached), once listening. */
  readonly port: number | undefined;
  /** `ws://host:port/path`, once listening. */
  readonly url: string | undefined;
  /** The server's events (listening, connection, close_client, error, close). */
  readonly event$: Observable<AllServerEvents>;
  /** Sends an event to every client subscribed to its type; returns how many got it. */
  publish<T extends Event>(event: T): number;
  /** Sends an event to every client; returns how many got it. */
  broadcast<T extends Event>(event: T): number;
  /** Marble.js shape of `broadcast`. */
  sendBroadcastResponse<T extends Event>(event: T): Observable<boolean>;
  /** Runs the upgrade checks and opens a socket (for servers routing upgrades themselves). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops accepting, closes every client with `code` (1001), waits for them, stops. */
  close(options?: WebSocketCloseOptions): Promise<void>;
}

/**
 * Options of `close()`.
 * @example
 * ```ts
 * import { WebSocketCloseOptions, WebSocketStatus } from '@tributary/websockets';
 * export const restart: WebSocketCloseOptions = { code: WebSocketStatus.SERVICE_RESTART, reason: 'Deploying, back in a minute' };
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketCloseOptions {
  /** Close code sent to clients (default 1001 going away). */
  code?: number;
  /** Close reason (at most 123 bytes; default "Server shutting down"). */
  reason?: string;
  /** How long clients may take to close before they are terminated (default `closeTimeout`). */
  timeout?: number;
}

/**
 * What `createWebSocketServer` takes.
 * @example
 * ```ts
 * import { WebSocketServerConfig, webSocketListener } from '@tributary/websockets';
 * export const config: WebSocketServerConfig = { options: { port: 8080 }, listener: webSocketListener({ effects: [] }) };
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketServerConfig extends ServerConfig<WsServerEffect, ReturnType<typeof webSocketListener>> {
  options?: WebSocketServerOptions;
}

/**
 * A server ready to start: call it to listen; `close()` stops it (a no-op before start).
 * @example
 * ```ts
 * import { createWebSocketServer, webSocketListener, WebSocketServerIO } from '@tributary/websockets';
 * const server: WebSocketServerIO = await createWebSocketServer({ options: { port: 0 }, listener: webSocketListener() });
 * await server();
 * await server.close();
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketServerIO extends ServerIO<WebSocketServerConnection> {
  readonly context: Context;
  close(options?: WebSocketCloseOptions): Promise<void>;
}
