import type { Event } from '@tributary/core';
import { map, Observable, tap } from 'rxjs';
import { markDelivered } from '../internal/delivered';
import type { WebSocketClientConnection } from '../server/WebSocketClientConnection';

/**
 * Sends what `fn` makes of each event to the clients subscribed to its type (rooms and
 * topics: a client sends `{ "type": "subscribe", "payload": { "types": [...] } }`), then
 * passes it on down the effect. The sender gets it only if it is subscribed too.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { publishToSubscribers, WsEffect } from '@tributary/websockets';
 * // clients in room "chat.lobby" subscribed with { types: ['chat.lobby'] }
 * export const say$: WsEffect = (event$, ctx) =>
 *   event$.pipe(
 *     matchEvent('Say'),
 *     publishToSubscribers(ctx.client, e => ({ type: `chat.${(e.payload as { room: string }).room}`, payload: e.payload })),
 *   );
 * ```
 * @see broadcast, to reach every client
 * @param client - `ctx.client` of the effect, or a server connection
 * @param fn - makes the event to publish from the input event
 * @return an operator publishing and re-emitting the made events
 * @since 0.1.0
 * @category operators
 */
export const publishToSubscribers =
  <Input extends Event, T extends Event>(client: Pick<WebSocketClientConnection, 'publish'>, fn: (input: Input) => T) =>
  (input$: Observable<Input>): Observable<T> =>
    input$.pipe(
      map(fn),
      tap(event => client.publish(event)),
      map(markDelivered),
    );
