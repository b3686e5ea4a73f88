import type { IncomingMessage } from 'node:http';
import { createEvent, Event, EventsUnion } from '@tributary/core';
import type { WebSocketClientConnection } from './WebSocketClientConnection';

/**
 * Types of WebSocket server events (Marble.js names).
 * @example
 * ```ts
 * import { ServerEventType } from '@tributary/websockets';
 * ServerEventType.CLOSE_CLIENT; // 'close_client'
 * ```
 * @since 0.1.0
 * @category server events
 */
export enum ServerEventType {
  LISTENING = 'listening',
  HEADERS = 'headers',
  CONNECTION = 'connection',
  CLOSE = 'close',
  CLOSE_CLIENT = 'close_client',
  ERROR = 'error',
}

/**
 * Server event creators, as a server's `event$` effect receives them: `listening(port,
 * host)`, `headers(headers, req)`, `connection(client, req)` (a client connected),
 * `closeClient(client, code, reason)` (it left), `error(error)`, `close()`.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { tap } from 'rxjs';
 * import { ServerEvent, WsServerEffect } from '@tributary/websockets';
 * export const goodbye$: WsServerEffect = event$ =>
 *   event$.pipe(matchEvent(ServerEvent.closeClient), tap(e => console.log(e.payload.client.id, 'left with', e.payload.code)));
 * ```
 * @since 0.1.0
 * @category server events
 */
export const ServerEvent = {
  listening: createEvent(ServerEventType.LISTENING, (port: number, host: string) => ({ port, host })),
  headers: createEvent(ServerEventType.HEADERS, (headers: string[], req: IncomingMessage) => ({ headers, req })),
  connection: createEvent(ServerEventType.CONNECTION, (client: WebSocketClientConnection, req: IncomingMessage) => ({ client, req })),
  close: createEvent(ServerEventType.CLOSE),
  closeClient: createEvent(ServerEventType.CLOSE_CLIENT, (client: WebSocketClientConnection, code?: number, reason?: string) => ({
    client,
    code: code ?? 1005,
    reason: reason ?? '',
  })),
  error: createEvent(ServerEventType.ERROR, (error: Error) => ({ error })),
};

/**
 * Any WebSocket server event.
 * @example
 * ```ts
 * import { AllServerEvents } from '@tributary/websockets';
 * const isDone = (e: AllServerEvents) => e.type === 'close';
 * ```
 * @since 0.1.0
 * @category server events
 */
export type AllServerEvents = EventsUnion<typeof ServerEvent>;

/**
 * @example
 * ```ts
 * import { isListeningEvent } from '@tributary/websockets';
 * isListeningEvent({ type: 'listening' }); // true
 * ```
 * @since 0.1.0
 * @category server events
 */
export const isListeningEvent = (event: Event): event is ReturnType<typeof ServerEvent.listening> => event.type === ServerEventType.LISTENING;
/**
 * @example
 * ```ts
 * import { isHeadersEvent } from '@tributary/websockets';
 * isHeadersEvent({ type: 'headers' }); // true
 * ```
 * @since 0.1.0
 * @category server events
 */
export const isHeadersEvent = (event: Event): event is ReturnType<typeof ServerEvent.headers> => event.type === ServerEventType.HEADERS;
/**
 * @example
 * ```ts
 * import { isConnectionEvent } from '@tributary/websockets';
 * isConnectionEvent({ type: 'connection' }); // true
 * ```
 * @since 0.1.0
 * @category server events
 */
export const isConnectionEvent = (event: Event): event is ReturnType<typeof ServerEvent.connection> => event.type === ServerEventType.CONNECTION;
/**
 * @example
 * ```ts
 * import { isCloseEvent } from '@tributary/websockets';
 * isCloseEvent({ type: 'close' }); // true
 * ```
 * @since 0.1.0
 * @category server events
 */
export const isCloseEvent = (event: Event): event is ReturnType<typeof ServerEvent.close> => event.type === ServerEventType.CLOSE;
/**
 * @example
 * ```ts
 * import { isCloseClientEvent } from '@tributary/websockets';
 * isCloseClientEvent({ type: 'close_client' }); // true
 * ```
 * @since 0.1.0
 * @category server events
 */
export const isCloseClientEvent = (event: Event): event is ReturnType<typeof ServerEvent.closeClient> => event.type === ServerEventType.CLOSE_CLIENT;
/**
 * @example
 * ```ts
 * import { isErrorEvent } from '@tributary/websockets';
 * isErrorEvent({ type: 'error' }); // true
 * ```
 * @since 0.1.0
 * @category server events
 */
export const isErrorEvent = (event: Event): event is ReturnType<typeof ServerEvent.error> => event.type === ServerEventType.ERROR;
