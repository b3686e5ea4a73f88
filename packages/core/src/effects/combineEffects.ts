import { merge, Observable } from 'rxjs';
import type { Effect, EffectContext } from './effect.interface';

/**
 * Runs several effects on the same input and merges their outputs.
 *
 * @example
 * ```ts
 * import { map } from 'rxjs';
 * import { combineEffects, Effect, Event, matchEvent } from '@tributary/core';
 * const a$: Effect<Event, Event> = e$ => e$.pipe(matchEvent('A'), map(() => ({ type: 'A_DONE' })));
 * const b$: Effect<Event, Event> = e$ => e$.pipe(matchEvent('B'), map(() => ({ type: 'B_DONE' })));
 * export const effects$ = combineEffects(a$, b$);
 * ```
 * @since 0.1.0
 * @category effects
 */
export const combineEffects =
  <I, O, Client>(...effects: ReadonlyArray<Effect<I, O, Client>>) =>
  (input$: Observable<I>, ctx: EffectContext<Client>): Observable<O> =>
    merge(...effects.map(effect => effect(input$, ctx)));
