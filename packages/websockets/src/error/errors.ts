import { CoreError, Event } from '@tributary/core';
import { WebSocketStatus } from '../websocket.interface';

/**
 * Closes the client connection when an effect or middleware throws it (Marble.js name): the
 * client is sent a close frame with `status` and `message` as the reason.
 *
 * @example
 * ```ts
 * import { matchEvent } from '@tributary/core';
 * import { map } from 'rxjs';
 * import { WebSocketConnectionError, WebSocketStatus, WsEffect } from '@tributary/websockets';
 * export const kick$: WsEffect = event$ =>
 *   event$.pipe(
 *     matchEvent('Kick'),
 *     map(() => { throw new WebSocketConnectionError('Kicked by a moderator', WebSocketStatus.POLICY_VALIDATION); }),
 *   );
 * ```
 * @since 0.1.0
 * @category errors
 */
export class WebSocketConnectionError extends CoreError {
  override readonly name: string = 'WebSocketConnectionError';
  constructor(
    message: string,
    readonly status: WebSocketStatus | number = WebSocketStatus.POLICY_VALIDATION,
  ) {
    super(message, { context: 'websockets.connection' });
  }
}

/**
 * A client sent something that is not an event: not JSON (for the JSON transformer), or
 * not an object with a string `type`. The client gets an error event back and stays
 * connected.
 *
 * @example
 * ```ts
 * import { InvalidEventError } from '@tributary/websockets';
 * new InvalidEventError('Unexpected token h in JSON', 'hello').name; // 'InvalidEventError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class InvalidEventError extends CoreError {
  override readonly name: string = 'InvalidEventError';
  constructor(reason: string, received: string, cause?: unknown) {
    super(
      `Invalid message: ${reason}. Send a JSON event such as {"type":"Ping","payload":{}}; received ${received}.`,
      { context: 'websockets.decode', cause },
    );
  }
}

/**
 * No effect handles the event a client sent. The client gets it back as an error event
 * of the same type and stays connected.
 *
 * @example
 * ```ts
 * import { UnknownEventError } from '@tributary/websockets';
 * new UnknownEventError({ type: 'Fly' }).message;
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UnknownEventError extends CoreError {
  override readonly name: string = 'UnknownEventError';
  declare readonly event: Event;
  constructor(event: Event) {
    super(
      `No effect handles "${event.type}" on this WebSocket server. ` +
        'Check the event type, or add an effect with matchEvent(...) for it to the webSocketListener effects.',
      { context: 'websockets.listener' },
    );
    // the event travels beside the error (as EventError does), never inside its encoding
    Object.defineProperty(this, 'event', { value: event, enumerable: false });
  }
}

/**
 * A client asked to subscribe to event types it may not have, or to too many, or sent a
 * malformed `subscribe` event. It gets the error back; its other subscriptions stay.
 *
 * @example
 * ```ts
 * import { SubscriptionError } from '@tributary/websockets';
 * new SubscriptionError('"admin.#" is not allowed for this client', ['admin.#']).name; // 'SubscriptionError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class SubscriptionError extends CoreError {
  override readonly name: string = 'SubscriptionError';
  constructor(
    reason: string,
    readonly types: ReadonlyArray<string> = [],
  ) {
    super(`Cannot subscribe: ${reason}.`, { context: 'websockets.subscribe' });
  }
}

/**
 * Throw it from `authenticate` (or any upgrade check) to refuse a connection with an HTTP
 * status before the socket opens; `message` becomes the response body.
 *
 * @example
 * ```ts
 * import { WebSocketUpgradeError } from '@tributary/websockets';
 * const authenticate = (req: { headers: Record<string, unknown> }) => {
 *   if (!req.headers.authorization) throw new WebSocketUpgradeError(401, 'Send "Authorization: Bearer <token>"');
 *   return { user: 'ada' };
 * };
 * ```
 * @since 0.1.0
 * @category errors
 */
export class WebSocketUpgradeError extends CoreError {
  override readonly name: string = 'WebSocketUpgradeError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, { context: 'websockets.upgrade' });
  }
}

/**
 * The server cannot start or is misconfigured (port taken, conflicting options, listening
 * twice).
 *
 * @example
 * ```ts
 * import { WebSocketServerError } from '@tributary/websockets';
 * new WebSocketServerError('Pass either options.port or options.server, not both').name; // 'WebSocketServerError'
 * ```
 * @since 0.1.0
 * @category errors
 */
export class WebSocketServerError extends CoreError {
  override readonly name: string = 'WebSocketServerError';
  constructor(message: string, cause?: unknown) {
    super(message, { context: 'websockets.server', cause });
  }
}
