import type { Event } from '@tributary/core';
import type { WebSocketData } from '../websocket.interface';

/**
 * Turns WebSocket messages into events and events into messages (Marble.js shape).
 * `decode` gets a string for text frames and a `Buffer` for binary frames; a throw means
 * "not an event" and the client gets an `InvalidEventError` back.
 *
 * @example
 * ```ts
 * import { EventTransformer } from '@tributary/websockets';
 * export const upperCaseTypes: EventTransformer<string> = {
 *   decode: data => { const e = JSON.parse(String(data)); return { ...e, type: String(e.type).toUpperCase() }; },
 *   encode: event => JSON.stringify(event),
 * };
 * ```
 * @since 0.1.0
 * @category transformer
 */
export interface EventTransformer<U extends WebSocketData = WebSocketData> {
  decode: (incomingEvent: U) => Event;
  encode: (outgoingEvent: Event) => U;
}

const toText = (data: WebSocketData): string => {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
};

/**
 * The default transformer: UTF-8 JSON text, `{ type, payload, error, metadata }`.
 *
 * @example
 * ```ts
 * import { jsonTransformer } from '@tributary/websockets';
 * jsonTransformer.decode('{"type":"Ping"}'); // { type: 'Ping' }
 * jsonTransformer.encode({ type: 'Pong' });  // '{"type":"Pong"}'
 * ```
 * @since 0.1.0
 * @category transformer
 */
export const jsonTransformer: EventTransformer<string> = {
  decode: data => JSON.parse(toText(data)),
  encode: event => JSON.stringify(event),
};
