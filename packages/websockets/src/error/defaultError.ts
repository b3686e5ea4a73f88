import { encodeError, Event, isEventError } from '@tributary/core';
import { map } from 'rxjs';
import type { WsErrorEffect } from '../effects/websocket.effects.interface';
import { UnknownEventError } from './errors';

/**
 * The default `error$` of `webSocketListener` (Marble.js compatible): an event error
 * (`EventError` from validation, `UnknownEventError`) comes back as the client's event type
 * with `error`; anything else as `{ type: 'UNHANDLED_ERROR', error: { name, message } }`.
 * The client's `metadata.correlationId` comes back with it.
 *
 * @example
 * ```ts
 * import { defaultError$, webSocketListener } from '@tributary/websockets';
 * export const listener = webSocketListener({ effects: [], error$: defaultError$ });
 * ```
 * @since 0.1.0
 * @category errors
 */
export const defaultError$: WsErrorEffect = error$ =>
  error$.pipe(
    map((error): Event => {
      const event = (error as Error & { event?: Event }).event;
      const sameType = !!event && (isEventError(error) || error instanceof UnknownEventError);
      return {
        type: sameType ? event!.type : 'UNHANDLED_ERROR',
        error: encodeError(error),
        metadata: event?.metadata,
      };
    }),
  );
