import type * as t from 'io-ts';
import { Observable } from 'rxjs';
import { getDeliveryTracker } from '../event/getDeliveryTracker';
import type { Event, EventMetadata } from '../event/event.interface';

/**
 * What `matchEvent` accepts: a type string, anything with a `type` (an event creator, an
 * `event()` codec, `{ type }`), or an io-ts codec of a whole event.
 * @since 0.1.0
 * @category operators
 */
export type EventMatcher = string | { readonly type: string } | WholeEventCodec;

/**
 * An io-ts codec of a whole event: `t.type({ type: t.literal('X'), ... })`. Checked by the
 * shape of its `type` prop, since `t.LiteralC<'X'>` is not assignable to `t.LiteralC<string>`.
 * @since 0.1.0
 * @category operators
 */
export type WholeEventCodec = t.Mixed & { readonly props: { readonly type: { readonly value: string } } };

/**
 * The event type one matcher narrows to.
 * @since 0.1.0
 * @category operators
 */
export type MatchedEvent<M> = M extends t.Mixed
  ? t.TypeOf<M> & { metadata: EventMetadata }
  : M extends (...args: any[]) => infer R
    ? R & { metadata: EventMetadata }
    : M extends string
      ? Event<unknown, any, M> & { metadata: EventMetadata }
      : M extends { readonly type: infer T extends string }
        ? Event<unknown, any, T> & { metadata: EventMetadata }
        : never;

const typeOf = (matcher: EventMatcher): string =>
  typeof matcher === 'string'
    ? matcher
    : typeof (matcher as { type?: unknown }).type === 'string'
      ? (matcher as { type: string }).type
      : (matcher as WholeEventCodec).props.type.value;

/**
 * Lets through the events of the given types, and narrows the stream's type to them.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { map } from 'rxjs';
 * import { Effect, Event, event, matchEvent } from '@tributary/core';
 * const OrderCreated = event('OrderCreated')(t.type({ orderId: t.string }));
 * export const order$: Effect<Event, Event> = event$ =>
 *   event$.pipe(
 *     matchEvent(OrderCreated, 'OrderUpdated'),
 *     map(e => ({ type: 'Seen', payload: e.type })),
 *   );
 * ```
 * @param matchers - type strings, event creators, `event()` codecs or `{ type }` objects
 * @return an operator filtering and narrowing the event stream
 * @since 0.1.0
 * @category operators
 */
export function matchEvent<M extends readonly [EventMatcher, ...EventMatcher[]]>(
  ...matchers: M
): (source: Observable<Event>) => Observable<MatchedEvent<M[number]>> {
  const types = matchers.map(typeOf);
  const single = types.length === 1 ? types[0] : undefined;
  const set = new Set(types);
  return source =>
    new Observable<MatchedEvent<M[number]>>(subscriber =>
      source.subscribe({
        next: event => {
          if (single !== undefined ? event.type !== single : !set.has(event.type)) return;
          getDeliveryTracker(event)?.matched();
          subscriber.next(event as MatchedEvent<M[number]>);
        },
        error: error => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
