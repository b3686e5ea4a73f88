import type * as t from 'io-ts';

/**
 * Turns the payload of one version of an event into the payload of the next version.
 * Synchronous and pure: it may run again for the same event (retries, redrives).
 *
 * Declared in {@link EventOptions.upcasters} its input is untyped (`any`): the older payload
 * as it came over the wire. For typed upcasters, declare the versions one after the other
 * with `EventCodec.evolve`, which types each upcaster from one version's codec to the next.
 *
 * @example
 * ```ts
 * import { Upcaster } from '@tributary/core';
 * const addCurrency: Upcaster = v1 => ({ ...v1, currency: 'EUR' });
 * ```
 * @since 0.2.0
 * @category events
 */
export type Upcaster = (payload: any) => unknown;

/**
 * Options of `event(type, options)`.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { event, EventOptions } from '@tributary/core';
 * const options: EventOptions = {
 *   version: 3,
 *   upcasters: {
 *     1: v1 => ({ ...v1, currency: 'EUR' }),              // version 1 → 2
 *     2: ({ amount, ...v2 }) => ({ ...v2, total: amount }), // version 2 → 3
 *   },
 * };
 * const OrderPlaced = event('OrderPlaced', options)(t.type({ orderId: t.string, total: t.number, currency: t.string }));
 *
 * // a request that declares its reply: send(GetPrice.create(...)) is typed with Price
 * const Price = event('Price')(t.type({ sku: t.string, eur: t.number }));
 * const GetPrice = event('GetPrice', { reply: Price })(t.type({ sku: t.string }));
 * ```
 * @since 0.2.0
 * @category events
 */
export interface EventOptions<R extends t.Mixed | undefined = t.Mixed | undefined> {
  /**
   * The version of the payload codec, a whole number from 1 (the default). `.create()` stamps
   * it on `metadata.version` (from 2 on: a missing version means 1).
   */
  version?: number;
  /**
   * `upcasters[n]` turns a version `n` payload into a version `n + 1` payload. Declare none
   * (the codec reads its own version only) or one for every version from 1 to `version - 1`:
   * a gap throws when the event is defined.
   */
  upcasters?: { readonly [version: number]: Upcaster };
  /**
   * The codec of the reply to this event, when it is a request: `client.send(e)` and the test
   * bed's `send(e)` are then typed with that reply (see `ReplyOf`). Types only: the reply is
   * not validated at run time. Since 0.2.0.
   */
  reply?: R;
}
