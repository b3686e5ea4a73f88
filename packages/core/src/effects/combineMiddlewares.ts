import type { Observable } from 'rxjs';
import type { Effect, EffectContext } from './effect.interface';

/**
 * Chains middlewares: the output of one is the input of the next. `undefined` entries are
 * skipped, so that a middleware can be switched off with a condition.
 *
 * @example
 * ```ts
 * import { tap } from 'rxjs';
 * import { combineMiddlewares, Effect, Event } from '@tributary/core';
 * const log$: Effect<Event, Event> = e$ => e$.pipe(tap(e => console.log(e.type)));
 * export const middlewares$ = combineMiddlewares(log$, process.env.DEBUG ? log$ : undefined);
 * ```
 * @since 0.1.0
 * @category effects
 */
export const combineMiddlewares =
  <T, Client>(...middlewares: ReadonlyArray<Effect<T, T, Client> | undefined>) =>
  (input$: Observable<T>, ctx: EffectContext<Client>): Observable<T> =>
    middlewares.reduce<Observable<T>>((i$, middleware) => (middleware ? middleware(i$, ctx) : i$), input$);
