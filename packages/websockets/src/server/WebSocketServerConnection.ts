import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Event } from '@tributary/core';
import type { Observable } from 'rxjs';
import type { AllServerEvents } from './serverEvents';
import type { WebSocketClientConnection } from './WebSocketClientConnection';

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
