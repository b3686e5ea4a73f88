import { createEvent, Event, EventsUnion } from '@tributary/core';

/**
 * Types of server events.
 * @since 0.1.0
 * @category microservice
 */
export enum ServerEventType {
  STATUS = 'status',
  CLOSE = 'close',
  ERROR = 'error',
}

/**
 * Server event creators (Marble.js names): `status(host, channel, type)`, `close()`,
 * `error(error)`. A microservice's `event$` effect receives them.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { MsgServerEffect, ServerEvent } from '@tributary/messaging';
 * import { tap } from 'rxjs';
 * export const status$: MsgServerEffect = event$ =>
 *   event$.pipe(matchEvent(ServerEvent.status), tap(e => console.log(e.payload.type)));
 * ```
 * @since 0.1.0
 * @category microservice
 */
export const ServerEvent = {
  status: createEvent(ServerEventType.STATUS, (host: string, channel: string, type: string) => ({ host, channel, type })),
  close: createEvent(ServerEventType.CLOSE),
  error: createEvent(ServerEventType.ERROR, (error: Error) => ({ error })),
};

/**
 * Any server event.
 * @since 0.1.0
 * @category microservice
 */
export type AllServerEvents = EventsUnion<typeof ServerEvent>;

/** @since 0.1.0 @category microservice */
export const isStatusEvent = (event: Event): event is ReturnType<typeof ServerEvent.status> => event.type === ServerEventType.STATUS;
/** @since 0.1.0 @category microservice */
export const isCloseEvent = (event: Event): event is ReturnType<typeof ServerEvent.close> => event.type === ServerEventType.CLOSE;
/** @since 0.1.0 @category microservice */
export const isErrorEvent = (event: Event): event is ReturnType<typeof ServerEvent.error> => event.type === ServerEventType.ERROR;
