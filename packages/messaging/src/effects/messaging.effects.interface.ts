import type { Effect, Event } from '@tributary/core';
import type { TransportLayerConnection } from '../transport/transport.interface';

/**
 * A messaging effect: incoming events in, outgoing events (replies, emits) out. Its
 * `ctx.client` is the service's connection.
 *
 * @example
 * ```ts
 * import { act, matchEvent } from '@tributary/core';
 * import { MsgEffect, reply } from '@tributary/messaging';
 * export const ping$: MsgEffect = event$ =>
 *   event$.pipe(matchEvent('Ping'), act(event => reply(event)({ type: 'Pong' })));
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface MsgEffect<I = Event, O = Event, Client = TransportLayerConnection> extends Effect<I, O, Client> {}

/**
 * A middleware over incoming events (validation, dedupe, logging).
 * @since 0.1.0
 * @category effects
 */
export interface MsgMiddlewareEffect<I = Event, O = Event> extends MsgEffect<I, O> {}

/**
 * Turns errors (an effect's stream failed, a message was malformed) into events; those
 * carrying `metadata.replyTo` are sent as replies.
 * @since 0.1.0
 * @category effects
 */
export interface MsgErrorEffect<Err extends Error = Error> extends MsgEffect<Err, Event> {}

/**
 * Sees every outgoing event before it is sent (to enrich or filter).
 * @since 0.1.0
 * @category effects
 */
export interface MsgOutputEffect<I = Event, O = Event> extends MsgEffect<I, O> {}

/**
 * Sees server events (status, error, close) of a microservice.
 * @since 0.1.0
 * @category effects
 */
export interface MsgServerEffect<T extends Event = Event> extends MsgEffect<T, any, undefined> {}
