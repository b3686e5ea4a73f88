import { CoreError, Event, EventMetadata } from '@tributary/core';
import { replyMetadata } from '../internal/outputs';

/**
 * `reply()` was given an event without `type`.
 * @example
 * ```ts
 * import { MissingEventTypeError } from '@tributary/messaging';
 * new MissingEventTypeError().name; // 'MissingEventTypeError'
 * ```
 * @since 0.1.0
 * @category reply
 */
export class MissingEventTypeError extends CoreError {
  override readonly name = 'MissingEventTypeError';
  constructor() {
    super('reply(...)(event): the event has no "type". Give the reply a type, e.g. reply(input)({ type: "Done" }).', {
      context: 'messaging.reply',
    });
  }
}


/**
 * Addresses an outgoing event as the reply to an incoming one (or to a channel): it takes
 * the caller's `replyTo` and `correlationId`, so that the caller gets it.
 *
 * @example
 * ```ts
 * import { act, matchEvent } from '@tributary/core';
 * import { MsgEffect, reply } from '@tributary/messaging';
 *
 * export const getOrder$: MsgEffect = event$ =>
 *   event$.pipe(
 *     matchEvent('GetOrder'),
 *     act(event => reply(event)({ type: 'Order', payload: { id: event.payload } })),
 *   );
 * // reply('audit')({ type: 'Seen' }) sends to the "audit" channel instead
 * ```
 * @param to - the incoming event, its metadata, or a channel name
 * @since 0.1.0
 * @category reply
 */
export const reply =
  (to: string | EventMetadata | Event) =>
  <T extends Event>(event: T): T => {
    if (!event.type) throw new MissingEventTypeError();
    // Object.assign, not spread: objects made by spread plus a new key take V8's slow path
    if (typeof to === 'string') return Object.assign({}, event, { metadata: replyMetadata(event.metadata, { replyTo: to }) });
    if (typeof (to as Event).type === 'string') {
      const origin = to as Event;
      // as in Marble.js, what the reply does not set is taken from the request
      return Object.assign({}, origin, event, { metadata: replyMetadata(event.metadata, origin.metadata) }) as T;
    }
    return Object.assign({}, event, { metadata: replyMetadata(event.metadata, to as EventMetadata) });
  };
