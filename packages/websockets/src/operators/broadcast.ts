import type { Event } from '@tributary/core';
import { map, Observable, tap } from 'rxjs';
import { markDelivered } from '../internal/delivered';
import type { WebSocketClientConnection } from '../server/WebSocketClientConnection';

/**
 * Sends what `fn` makes of each event to every connected client (the sender included, once),
 * then passes it on down the effect. Never waits for slow clients: each client's send
 * buffer is bounded and a client over it is cut.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { broadcast, WsEffect } from '@tributary/websockets';
 * export const chat$: WsEffect = (event$, ctx) =>
 *   event$.pipe(
 *     matchEvent('PostMessage'),
 *     broadcast(ctx.client, e => ({ type: 'MessagePosted', payload: { from: ctx.client.id, text: e.payload } })),
 *   );
 * ```
 * @see publishToSubscribers, to reach only the clients subscribed to the event's type
 * @param client - `ctx.client` of the effect
 * @param fn - makes the event to send from the input event
 * @return an operator broadcasting and re-emitting the made events
 * @since 0.1.0
 * @category operators
 */
export const broadcast =
  <Input extends Event, T extends Event>(client: WebSocketClientConnection, fn: (input: Input) => T) =>
  (input$: Observable<Input>): Observable<T> =>
    input$.pipe(
      map(fn),
      tap(event => client.sendBroadcastResponse(event).subscribe()),
      map(markDelivered),
    );
