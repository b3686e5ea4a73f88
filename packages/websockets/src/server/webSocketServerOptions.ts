import type { IncomingMessage, OutgoingHttpHeaders, Server } from 'node:http';

/**
 * Decides whether an upgrade request may open a socket. Return (or resolve) something
 * truthy to accept: it becomes `client.auth` (a user, claims...). Return a falsy value to
 * refuse with `401 Unauthorized`, or throw a `WebSocketUpgradeError` to refuse with its
 * status and message. Runs before the socket opens.
 *
 * @example
 * ```ts
 * import { AuthenticateFn } from '@tributary/websockets';
 * export const authenticate: AuthenticateFn = req =>
 *   req.headers.authorization === 'Bearer s3cret' ? { user: 'ada' } : false;
 * ```
 * @since 0.1.0
 * @category server
 */
export type AuthenticateFn = (request: IncomingMessage) => unknown | Promise<unknown>;

/**
 * The `ws` / Marble.js `verifyClient` hook, for ports: synchronous `(info) => boolean`, or
 * with a callback `(info, done) => void` where `done(false, 401, 'Unauthorized')` refuses.
 *
 * @example
 * ```ts
 * import { VerifyClientFn } from '@tributary/websockets';
 * export const verifyClient: VerifyClientFn = info => info.req.headers['x-api-key'] === 'k-1';
 * ```
 * @since 0.1.0
 * @category server
 */
export type VerifyClientFn = (
  info: { origin: string; secure: boolean; req: IncomingMessage },
  callback?: (result: boolean, code?: number, message?: string, headers?: OutgoingHttpHeaders) => void,
) => boolean | void;

/**
 * Options of `createWebSocketServer`. Give `port` to listen on its own (0 for any free
 * port), or `server` to share an existing `http.Server` (upgrades on `path`), or neither to
 * route upgrades yourself with `connection.handleUpgrade`.
 *
 * @example
 * ```ts
 * import { WebSocketServerOptions } from '@tributary/websockets';
 * export const options: WebSocketServerOptions = {
 *   port: 8080,
 *   path: '/ws',
 *   allowedOrigins: ['https://dashboard.example.com'],
 *   authenticate: req => req.headers.authorization === 'Bearer s3cret' && { user: 'ada' },
 * };
 * ```
 * @since 0.1.0
 * @category server
 */
export interface WebSocketServerOptions {
  /** Listen on this port (0: any free port; read it from `connection.port`). */
  port?: number;
  /** Interface to listen on with `port` (Node's default: all interfaces). */
  host?: string;
  /** An existing HTTP server to attach to; its other requests are left alone. */
  server?: Server;
  /** Accept upgrades on this path only (`'/ws'`); others get 404 unless another handler takes them. */
  path?: string;
  /** Largest message a client may send, in bytes; a bigger one closes it with 1009. */
  maxPayload?: number;
  /** How often clients are pinged, in ms; a client that did not answer the previous ping is terminated. 0 turns it off. */
  heartbeatInterval?: number;
  /** Bytes that may wait to be sent to one client; a client over it is slow and is closed with 1013. */
  maxBufferedBytes?: number;
  /** How long a closing client may take to answer the close frame before it is terminated, in ms. */
  closeTimeout?: number;
  /** How long the upgrade checks (`verifyClient`, `authenticate`) may take, in ms, before a 503. */
  handshakeTimeout?: number;
  /** Origins allowed to connect (exact `Origin` header values), or a predicate. Requests without `Origin` (non-browser clients) pass. */
  allowedOrigins?: ReadonlyArray<string> | ((origin: string) => boolean);
  /** Authenticates the upgrade request; see {@link AuthenticateFn}. */
  authenticate?: AuthenticateFn;
  /** The `ws` / Marble.js hook; see {@link VerifyClientFn}. Runs before `authenticate`. */
  verifyClient?: VerifyClientFn;
  /**
   * Most clients connected (or in their upgrade checks) at once; an upgrade over it is
   * refused with HTTP 503 and `Retry-After`. Since 0.2.0.
   */
  maxConnections?: number;
  /**
   * Inbound flow control: messages of one client received but not yet processed (their
   * effects still running). At this many the server stops reading that client's socket (TCP
   * back-pressure slows the client down) and reads again once one is done. Since 0.2.0.
   */
  maxPendingMessages?: number;
  /**
   * Messages one client may send per second (a token bucket allowing bursts of this many); a
   * client over it is closed with 1008 (policy violation): a flooding client is a misbehaving
   * one, and dropping its messages silently would hide that. 0: no limit. Since 0.2.0.
   */
  maxMessagesPerSecond?: number;
}

/**
 * Defaults of {@link WebSocketServerOptions}: 1 MiB messages, a 30 s heartbeat, 1 MiB of
 * pending output per client, 5 s to close, 10 s for upgrade checks, 10 000 connections, 64
 * unprocessed messages and 1 000 messages a second per client.
 *
 * @example
 * ```ts
 * import { DEFAULT_WEBSOCKET_SERVER_OPTIONS } from '@tributary/websockets';
 * DEFAULT_WEBSOCKET_SERVER_OPTIONS.heartbeatInterval; // 30000
 * ```
 * @since 0.1.0
 * @category server
 */
export const DEFAULT_WEBSOCKET_SERVER_OPTIONS = {
  maxPayload: 1024 * 1024,
  heartbeatInterval: 30_000,
  maxBufferedBytes: 1024 * 1024,
  closeTimeout: 5_000,
  handshakeTimeout: 10_000,
  maxConnections: 10_000,
  maxPendingMessages: 64,
  maxMessagesPerSecond: 1_000,
} as const satisfies WebSocketServerOptions;
