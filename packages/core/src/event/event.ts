import * as t from 'io-ts';
import type { EventMetadata } from './event.interface';

/**
 * An io-ts codec of a whole event `{ type, payload }`, made by {@link event}. It knows its
 * `type` and can `create` events.
 * @since 0.1.0
 * @category events
 */
export type EventCodec<T extends string = string, P extends t.Mixed = t.Mixed> = t.TypeC<{
  type: t.LiteralC<T>;
  payload: P;
}> & {
  readonly type: T;
  create: undefined extends t.TypeOf<P>
    ? (payload?: t.TypeOf<P>, metadata?: EventMetadata) => { type: T; payload: t.TypeOf<P>; metadata?: EventMetadata }
    : (payload: t.TypeOf<P>, metadata?: EventMetadata) => { type: T; payload: t.TypeOf<P>; metadata?: EventMetadata };
};

/** Name given to every event codec made by {@link event}. */
export const EVENT_CODEC_NAME = 'EventSchema';

/**
 * Tells whether a value is an io-ts codec of a whole event: one made by {@link event}, or
 * any `t.type({ type: t.literal(...) , ... })`.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { event, isEventCodec } from '@tributary/core';
 * isEventCodec(event('Ping')()); // true
 * isEventCodec(t.string);        // false
 * ```
 * @since 0.1.0
 * @category events
 */
export const isEventCodec = (codec: unknown): codec is t.TypeC<{ type: t.LiteralC<string> }> => {
  const props = (codec as { props?: Record<string, any> } | null)?.props;
  return !!props && props.type instanceof t.LiteralType && typeof props.type.value === 'string';
};

/**
 * Defines an event: returns an io-ts codec of the whole event with `.type` and
 * `.create(payload)`. Use it with `matchEvent` (which narrows to the decoded type) and
 * with `eventValidator$` (which decodes incoming events).
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { event } from '@tributary/core';
 *
 * const OrderCreated = event('OrderCreated')(t.type({ orderId: t.string, total: t.number }));
 * const e = OrderCreated.create({ orderId: 'o-1', total: 42 });
 * // e: { type: 'OrderCreated'; payload: { orderId: string; total: number } }
 * const Ping = event('Ping')();
 * Ping.create(); // { type: 'Ping', payload: undefined }
 * ```
 * @param type - the event type literal
 * @returns a function taking the payload codec (omit it for events without payload)
 * @since 0.1.0
 * @category events
 */
export const event =
  <T extends string>(type: T) =>
  <P extends t.Mixed = t.UndefinedC>(payload?: P): EventCodec<T, P> => {
    const codec = t.type({ type: t.literal(type), payload: (payload ?? t.undefined) as P }, EVENT_CODEC_NAME);
    const create = (p?: t.TypeOf<P>, metadata?: EventMetadata) =>
      metadata ? { type, payload: p, metadata } : { type, payload: p };
    return Object.assign(codec, { type, create }) as unknown as EventCodec<T, P>;
  };
