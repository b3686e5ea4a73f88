import { ContextProvider, ContextToken, Event, useContext } from '@tributary/core';
import { matchTopic } from '@tributary/messaging/transport';
import { filter, ignoreElements, isObservable, map, Observable, takeUntil, tap } from 'rxjs';
import type { WsServerEffect } from '../effects/websocket.effects.interface';
import { WebSocketServerError } from '../error/errors';
import { isEvent } from '../internal/wire';
import { isCloseEvent } from '../server/serverEvents';

/** Anything with a stream of events: an `EventBusClient`, a microservice connection. */
/**
 * Anything that shows its events as `event$` (an `EventBusClient`, a microservice connection).
 * @since 0.1.0
 * @category bridge
 */
export type HasEvents = { readonly event$: Observable<Event> };

/**
 * Where bridged events come from: a stream of events, something with `event$` (an
 * `EventBusClient`, a `MicroserviceConnection`), or a context token of either (resolved in
 * the server's context).
 * @example
 * ```ts
 * import { EventBusClientToken } from '@tributary/messaging';
 * import { BridgeSource } from '@tributary/websockets';
 * export const source: BridgeSource = EventBusClientToken;
 * ```
 * @since 0.1.0
 * @category bridge
 */
export type BridgeSource = Observable<Event> | HasEvents | ContextToken<Observable<Event> | HasEvents>;

/**
 * What `bridgeToWebSockets` takes.
 * @example
 * ```ts
 * import { EventBusClientToken } from '@tributary/messaging';
 * import { BridgeToWebSocketsConfig } from '@tributary/websockets';
 * export const config: BridgeToWebSocketsConfig = { from: EventBusClientToken, types: ['OrderCreated', 'payment.*'] };
 * ```
 * @since 0.1.0
 * @category bridge
 */
export interface BridgeToWebSocketsConfig {
  from: BridgeSource;
  /** Event types forwarded (AMQP-style wildcards; `['#']` for all). Nothing else leaves the server. */
  types: ReadonlyArray<string>;
  /** `subscribers` (default): clients subscribed to the type; `all`: every client. */
  to?: 'subscribers' | 'all';
  /** Reshapes (or redacts) an event before it is sent; return nothing to drop it. */
  map?: (event: Event) => Event | null | undefined;
}

const isToken = (from: unknown): from is ContextToken<unknown> =>
  !!from && typeof from === 'object' && typeof (from as { _id?: unknown })._id === 'string' && '_T' in from;

const streamOf = (from: unknown, ask: ContextProvider): Observable<Event> => {
  const source = isToken(from) ? useContext(from, 'bridgeToWebSockets')(ask) : from;
  if (isObservable(source)) return source as Observable<Event>;
  if (source && isObservable((source as HasEvents).event$)) return (source as HasEvents).event$;
  throw new WebSocketServerError(
    'bridgeToWebSockets: `from` must be an Observable of events, something with `event$` (an EventBusClient, a microservice connection) ' +
      'or a context token of one (e.g. EventBusClientToken)',
  );
};

/**
 * Forwards events from the bus or a broker to browser clients: a server effect (pass it as
 * `event$` of `createWebSocketServer`) that sends every event of the listed `types` to the
 * clients subscribed to its type. Only `type`, `payload`, `error` and public metadata
 * (`id`, `correlationId`, `causationId`, `timestamp`) are sent.
 *
 * @example
 * ```ts
 * import { bindEagerlyTo, bindTo } from '@tributary/core';
 * import { EventBus, EventBusClient, EventBusClientToken, EventBusToken, messagingListener } from '@tributary/messaging';
 * import { bridgeToWebSockets, createWebSocketServer, webSocketListener } from '@tributary/websockets';
 *
 * const server = await createWebSocketServer({
 *   options: { port: 8080 },
 *   listener: webSocketListener(),
 *   dependencies: [
 *     bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [] }) })),
 *     bindTo(EventBusClientToken)(EventBusClient),
 *   ],
 *   event$: bridgeToWebSockets({ from: EventBusClientToken, types: ['OrderCreated', 'PaymentCaptured'] }),
 * });
 * await server();
 * // a browser: socket.send(JSON.stringify({ type: 'subscribe', payload: { types: ['OrderCreated'] } }))
 * ```
 * @param config - the source, the types to forward, to whom, and an optional reshaping
 * @return a server effect (`WsServerEffect`)
 * @since 0.1.0
 * @category bridge
 */
export const bridgeToWebSockets = (config: BridgeToWebSocketsConfig): WsServerEffect => {
  const { from, types, to = 'subscribers', map: reshape } = config;
  if (!Array.isArray(types) || types.length === 0 || types.some(t => typeof t !== 'string' || t.length === 0)) {
    throw new WebSocketServerError(
      "bridgeToWebSockets: `types` must list the event types to forward, e.g. ['OrderCreated', 'payment.*']; use ['#'] to forward every event",
    );
  }
  const forwarded = (type: string) => types.some(pattern => matchTopic(pattern, type));
  return (event$, ctx) => {
    const server = ctx.client;
    return streamOf(from, ctx.ask).pipe(
      filter(event => isEvent(event) && forwarded(event.type)),
      map(event => (reshape ? reshape(event) : event)),
      filter(isEvent),
      tap(event => (to === 'all' ? server.broadcast(event) : server.publish(event))),
      ignoreElements(),
      takeUntil(event$.pipe(filter(isCloseEvent))),
    );
  };
};
