import type * as t from 'io-ts';
import type { Event } from './event.interface';

// type-level only: never read or written at run time
declare const replyCodec: unique symbol;

/**
 * The mark of an event whose definition declared its reply codec (`event(type, { reply })`):
 * a type-only property that {@link ReplyOf} reads. Events made by `.create()` of such a
 * definition carry it; nothing is added at run time.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { event, RepliesWith } from '@tributary/core';
 * const Price = event('Price')(t.type({ eur: t.number }));
 * const GetPrice = event('GetPrice', { reply: Price })(t.type({ sku: t.string }));
 * const request: RepliesWith<typeof Price> = GetPrice.create({ sku: 'a-1' });
 * ```
 * @since 0.2.0
 * @category events
 */
export interface RepliesWith<R> {
  readonly [replyCodec]?: R;
}

/**
 * The reply type of a request event: the decoded type of the reply codec its definition
 * declared (`event('GetPrice', { reply: Price })`), or `Otherwise` (`Event`) when it declared
 * none. `MessagingClient.send` and the test bed's `send` return it.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { event, ReplyOf } from '@tributary/core';
 * const Price = event('Price')(t.type({ eur: t.number }));
 * const GetPrice = event('GetPrice', { reply: Price })(t.type({ sku: t.string }));
 * type Answer = ReplyOf<ReturnType<typeof GetPrice.create>>; // { type: 'Price'; payload: { eur: number } }
 * ```
 * @since 0.2.0
 * @category events
 */
export type ReplyOf<E, Otherwise = Event> = E extends RepliesWith<infer C> ? (C extends t.Mixed ? t.TypeOf<C> : Otherwise) : Otherwise;
