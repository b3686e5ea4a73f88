import { Observable, Subject, Subscription } from 'rxjs';
import { combineMiddlewares } from '../effects/combineMiddlewares';
import type { EffectContext } from '../effects/effect.interface';
import { resubscribeOnError } from '../effects/resubscribeOnError';
import type { Event } from '../event/event.interface';

type Stream = (input$: Observable<any>, ctx: EffectContext<any>) => Observable<any>;

/**
 * What {@link runEffects} runs, and where its results go.
 * @since 0.2.0
 * @category listener
 */
export interface RunEffectsConfig<Client> {
  ctx: EffectContext<Client>;
  middlewares?: ReadonlyArray<Stream>;
  effects?: ReadonlyArray<Stream>;
  /** Sees every effect output before it is sent. */
  output$: Stream;
  /** Turns errors (effect failures, reported ones) into events to send. */
  error$: Stream;
  /** What an effect's output becomes on its way to `output$` (the messaging listener addresses it). */
  address?: (event: Event) => Event;
  /** Sends what `output$` and `error$` emit. */
  send: (value: unknown) => void;
  /** An effect's stream failed (it is restarted, up to a limit: `stopped` when it is not). */
  onEffectError?: (error: Error, name: string, stopped: boolean) => void;
}

/**
 * A listener's running effects: push events in, report errors, stop.
 * @since 0.2.0
 * @category listener
 */
export interface RunningEffects {
  /** Pushes an incoming event through the middlewares and effects, synchronously. */
  dispatch(event: Event): void;
  /** An error not raised by an effect (undecodable input), for `error$`. */
  reportError(error: Error): void;
  close(): void;
}

const isEvent = (value: unknown): value is Event => !!value && typeof value === 'object' && typeof (value as Event).type === 'string';

const nameOf = (effect: (...args: any[]) => unknown, index: number): string => effect.name || `effects[${index}]`;

/**
 * The listener pipeline every Tributary server runs (messaging services, WebSocket
 * connections): middlewares → effects → `output$` → send, and errors → `error$` → send. Each
 * stream is isolated: one that fails is reported (`onEffectError`, then `error$`) and
 * subscribed again, so the others never notice.
 *
 * @example
 * ```ts
 * import { act, contextFactory, createEffectContext, lookup, matchEvent, runEffects } from '@tributary/core';
 * import { map } from 'rxjs';
 *
 * const sent: unknown[] = [];
 * const ask = lookup(await contextFactory());
 * const running = runEffects({
 *   ctx: createEffectContext({ ask, client: undefined }),
 *   effects: [e$ => e$.pipe(matchEvent('Ping'), act(() => ({ type: 'Pong' })))],
 *   output$: out$ => out$,
 *   error$: error$ => error$.pipe(map(error => ({ type: 'Failed', error }))),
 *   send: event => sent.push(event),
 * });
 * running.dispatch({ type: 'Ping' }); // sent: [{ type: 'Pong', ... }]
 * running.close();
 * ```
 * @since 0.2.0
 * @category listener
 */
export const runEffects = <Client>(config: RunEffectsConfig<Client>): RunningEffects => {
  const { ctx, middlewares = [], effects = [], output$, error$, address, send, onEffectError } = config;
  const inbound = new Subject<Event>();
  const matched = new Subject<Event>();
  const outputs = new Subject<unknown>();
  const errors = new Subject<Error>();
  const running = new Subscription();

  const run = <T>(name: string, stream$: Observable<T>, next: (value: T) => void): void => {
    running.add(
      stream$
        .pipe(
          resubscribeOnError((error, stopped) => {
            onEffectError?.(error, name, stopped);
            errors.next(error);
          }),
        )
        .subscribe(next),
    );
  };

  run('middlewares', combineMiddlewares(...(middlewares as Stream[]))(inbound.asObservable(), ctx), event => matched.next(event as Event));
  effects.forEach((effect, i) => run(nameOf(effect, i), effect(matched.asObservable(), ctx), value => outputs.next(address && isEvent(value) ? address(value) : value)));
  run('output$', output$(outputs.asObservable(), ctx), send);
  run('error$', error$(errors.asObservable(), ctx), send);

  return {
    dispatch: event => inbound.next(event),
    reportError: error => errors.next(error),
    close: () => running.unsubscribe(),
  };
};
