import * as t from 'io-ts';
import { checkVersioning, decodingUpcaster } from '../internal/upcast';
import type { EventMetadata } from './event.interface';
import type { EventOptions, Upcaster } from './eventOptions';
import type { RepliesWith } from './replyOf';

/**
 * An io-ts codec of a whole event `{ type, payload }`, made by {@link event}. It knows its
 * `type`, its `version` and `upcasters`, can `create` events, and `evolve` into its next
 * version.
 * @since 0.1.0
 * @category events
 */
export type EventCodec<T extends string = string, P extends t.Mixed = t.Mixed, R extends t.Mixed | undefined = undefined> = t.TypeC<{
  type: t.LiteralC<T>;
  payload: P;
}> & {
  readonly type: T;
  /** The version of the payload codec (1 unless declared). @since 0.2.0 */
  readonly version: number;
  /** `upcasters[n]` turns a version `n` payload into version `n + 1`. @since 0.2.0 */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  /** The codec of the reply, when the event is a request that declared it (`{ reply }`). @since 0.2.0 */
  readonly reply: R;
  /**
   * The next version of this event: `payload` is its codec, `up` turns this version's
   * (decoded) payload into the next version's. The result is a codec of version
   * `version + 1` that reads every older version, upcasting it.
   * @since 0.2.0
   */
  evolve<N extends t.Mixed>(payload: N, up: (previous: t.TypeOf<P>) => t.OutputOf<N>): EventCodec<T, N, R>;
  create: undefined extends t.TypeOf<P>
    ? (payload?: t.TypeOf<P>, metadata?: EventMetadata) => CreatedEvent<T, P, R>
    : (payload: t.TypeOf<P>, metadata?: EventMetadata) => CreatedEvent<T, P, R>;
};

/**
 * What `EventCodec.create` returns: the event, marked with its reply codec when it declared one.
 * @since 0.2.0
 * @category events
 */
export type CreatedEvent<T extends string, P extends t.Mixed, R extends t.Mixed | undefined = undefined> = {
  type: T;
  payload: t.TypeOf<P>;
  metadata?: EventMetadata;
} & (R extends t.Mixed ? RepliesWith<R> : unknown);

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
 * with `eventValidator$` (which decodes incoming events, upcasting older versions).
 *
 * Versions: `event(type, { version, upcasters })(codec)` declares the version of `codec`
 * and plain upcasters (untyped input); `event(type)(V1).evolve(V2, v1 => ...)` declares the
 * versions one after the other, each upcaster typed from one codec to the next. See
 * docs/versioning.md.
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
 *
 * const OrderPlaced = event('OrderPlaced')(t.type({ orderId: t.string, amount: t.number }))
 *   .evolve(t.type({ orderId: t.string, amount: t.number, currency: t.string }), v1 => ({ ...v1, currency: 'EUR' }));
 * OrderPlaced.version; // 2
 * OrderPlaced.create({ orderId: 'o-1', amount: 5, currency: 'USD' }).metadata; // { version: 2 }
 * ```
 * @param type - the event type literal
 * @param options - `version` (default 1), `upcasters`, and `reply`, the reply codec of a request (since 0.2.0)
 * @returns a function taking the payload codec (omit it for events without payload)
 * @throws CoreError (at definition) when `version` is not a whole number from 1, or the upcasters leave a gap
 * @since 0.1.0
 * @category events
 */
export const event =
  <T extends string, R extends t.Mixed | undefined = undefined>(type: T, options: EventOptions<R> = {}) =>
  <P extends t.Mixed = t.UndefinedC>(payload?: P): EventCodec<T, P, R> => {
    const { version, upcasters } = checkVersioning(type, options.version ?? 1, { ...options.upcasters });
    const payloadCodec = (payload ?? t.undefined) as P;
    const codec = t.type({ type: t.literal(type), payload: payloadCodec }, EVENT_CODEC_NAME);
    // version 1 is the absence of a version: its events stay as they were before versions existed
    const create = (p?: t.TypeOf<P>, metadata?: EventMetadata) =>
      version > 1 ? { type, payload: p, metadata: { ...metadata, version } } : metadata ? { type, payload: p, metadata } : { type, payload: p };
    const evolve = <N extends t.Mixed>(next: N, up: (previous: t.TypeOf<P>) => t.OutputOf<N>) =>
      event(type, { ...options, version: version + 1, upcasters: { ...upcasters, [version]: decodingUpcaster(version, payloadCodec, up) } })(next);
    return Object.assign(codec, { type, version, upcasters, reply: options.reply, create, evolve }) as unknown as EventCodec<T, P, R>;
  };
