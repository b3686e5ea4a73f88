import type { Observable, SchedulerLike } from 'rxjs';
import type { ContextProvider } from '../context/context';

/**
 * What every effect gets besides its input stream: `ask` (dependency lookup), a
 * `scheduler` (virtual in tests) and the `client` of the server running it (for messaging,
 * the transport connection).
 * @since 0.1.0
 * @category effects
 */
export interface EffectContext<Client = unknown, S extends SchedulerLike = SchedulerLike> {
  ask: ContextProvider;
  scheduler: S;
  client: Client;
}

/**
 * A function from a stream of inputs to a stream of outputs.
 *
 * @example
 * ```ts
 * import { map } from 'rxjs';
 * import { Effect, Event, matchEvent } from '@tributary/core';
 * const ping$: Effect<Event, Event, unknown> = event$ =>
 *   event$.pipe(matchEvent('Ping'), map(() => ({ type: 'Pong' })));
 * ```
 * @since 0.1.0
 * @category effects
 */
export interface Effect<I = unknown, O = unknown, Client = unknown> {
  (input$: Observable<I>, ctx: EffectContext<Client>): Observable<O>;
}

/**
 * Any function shaped like an effect.
 * @since 0.1.0
 * @category effects
 */
export interface EffectLike {
  (input$: Observable<any>, ...args: any[]): Observable<any>;
}

/**
 * An effect placed before the others, transforming the input stream (validation, dedupe,
 * logging).
 * @since 0.1.0
 * @category effects
 */
export interface EffectMiddlewareLike<I, O> {
  (input$: Observable<I>, ...args: any[]): Observable<O>;
}
