import type { Event } from '@tributary/core';
import type { Observable } from 'rxjs';
import type { WebSocketData } from '../websocket.interface';

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
