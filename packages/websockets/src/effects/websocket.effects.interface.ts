import type { IncomingMessage } from 'node:http';
import type { Effect, Event } from '@tributary/core';
import type { WebSocketClientConnection } from '../server/WebSocketClientConnection';
import type { WebSocketServerConnection } from '../server/WebSocketServerConnection';

/**
 * A WebSocket effect: the events one client sends in, events back to that client out. It
 * runs once per connection; `ctx.client` is that client (for `broadcast`, `client.auth`,
 * subscriptions).
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { map } from 'rxjs';
 * import { WsEffect } from '@tributary/websockets';
 * export const echo$: WsEffect = event$ =>
 *   event$.pipe(matchEvent('Echo'), map(event => ({ type: 'Echo', payload: event.payload, metadata: event.metadata })));
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface WsEffect<T = Event, U = Event, V = WebSocketClientConnection> extends Effect<T, U, V> {}

/**
 * A middleware over the events a client sends (validation, logging, auth per event).
 *
 * @example
 * ```ts
 * import { tap } from 'rxjs';
 * import { WsMiddlewareEffect } from '@tributary/websockets';
 * export const log$: WsMiddlewareEffect = (event$, ctx) => event$.pipe(tap(e => console.log(ctx.client.id, e.type)));
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface WsMiddlewareEffect<I = Event, O = Event> extends WsEffect<I, O> {}

/**
 * Turns errors (bad JSON, unknown events, an effect's failing stream) into the events sent
 * back to the client. The default is {@link defaultError$}.
 *
 * @example
 * ```ts
 * import { map } from 'rxjs';
 * import { WsErrorEffect } from '@tributary/websockets';
 * export const error$: WsErrorEffect = error$ =>
 *   error$.pipe(map(error => ({ type: 'Oops', error: { name: error.name, message: error.message } })));
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface WsErrorEffect<Err extends Error = Error> extends WsEffect<Err, Event> {}

/**
 * Sees every event on its way to the client (to enrich, redact or drop).
 *
 * @example
 * ```ts
 * import { map } from 'rxjs';
 * import { WsOutputEffect } from '@tributary/websockets';
 * export const output$: WsOutputEffect = out$ => out$.pipe(map(e => ({ ...e, payload: { ...(e.payload as object), at: Date.now() } })));
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface WsOutputEffect<T extends Event = Event> extends WsEffect<T, Event> {}

/**
 * Sees the server's events: `listening`, `connection` (a client connected), `close_client`
 * (it left, with the close code), `error`, `close`. `ctx.client` is the server, so a server
 * effect can also push events to clients (this is how `bridgeToWebSockets` works).
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { tap } from 'rxjs';
 * import { ServerEvent, WsServerEffect } from '@tributary/websockets';
 * export const welcome$: WsServerEffect = event$ =>
 *   event$.pipe(
 *     matchEvent(ServerEvent.connection),
 *     tap(({ payload }) => payload.client.sendEvent({ type: 'Welcome', payload: { id: payload.client.id } })),
 *   );
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface WsServerEffect<T extends Event = Event> extends WsEffect<T, any, WebSocketServerConnection> {}

/**
 * An effect over upgrade requests (Marble.js name, kept for ports; prefer the
 * `authenticate` option).
 *
 * @example
 * ```ts
 * import { WsConnectionEffect } from '@tributary/websockets';
 * export const connection$: WsConnectionEffect = req$ => req$;
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface WsConnectionEffect<T extends IncomingMessage = IncomingMessage> extends WsEffect<T, T, undefined> {}
