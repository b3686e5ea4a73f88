import type { Observable } from 'rxjs';
import type { EffectContext, EffectMiddlewareLike } from '../effects/effect.interface';

/**
 * Applies a middleware (a stream-to-stream function such as `eventValidator$(codec)`) inside
 * a pipe.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { Effect, Event, event, eventValidator$, matchEvent, use } from '@tributary/core';
 * const Pay = event('Pay')(t.type({ amount: t.number }));
 * export const pay$: Effect<Event, Event> = event$ =>
 *   event$.pipe(matchEvent(Pay), use(eventValidator$(Pay)));
 * ```
 * @since 0.1.0
 * @category operators
 */
export const use =
  <I, O>(middleware: EffectMiddlewareLike<I, O>, ctx?: EffectContext<any>) =>
  (source$: Observable<I>): Observable<O> =>
    middleware(source$, ctx);
