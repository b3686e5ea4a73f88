import type { BoundDependency, Effect } from '@tributary/core';
import { isObservable } from 'rxjs';
import { createTestScheduler } from './createTestScheduler';
import { buildTestContext } from './internal/buildTestContext';

/**
 * A marble diagram with its values and, for `#`, its error: `['-a-b|', { a: ..., b: ... }]`.
 * @since 0.1.0
 * @category marbles
 */
export type MarbleSpec<T> = readonly [marbles: string, values?: Record<string, T>, error?: unknown];

/**
 * Options of {@link assertEffect}.
 * @since 0.1.0
 * @category marbles
 */
export interface AssertEffectOptions<Client = unknown> {
  /** Bindings the effect's `ctx.ask` resolves (synchronously; the last one of a token wins). */
  dependencies?: ReadonlyArray<BoundDependency<any> | undefined | null>;
  /** What the effect gets as `ctx.client` (a stub of the connection, say). Default `undefined`. */
  client?: Client;
}

const effectName = (effect: Function): string => (effect.name ? `"${effect.name}"` : 'The effect');

/**
 * Runs an effect in virtual time on an input marble diagram and asserts its output
 * diagram, the RxJS way. The input is a hot stream; `ctx.scheduler` is the `TestScheduler`,
 * so `delay`, `debounceTime`, `timeout` and friends take virtual time. Values are compared
 * with jest's `toEqual` (properties that are `undefined` do not count, asymmetric matchers
 * work). Throws (failing the test) on a mismatch.
 *
 * Virtual time drives streams, not promises: for effects whose work is a `Promise`
 * (`act(async e => ...)`), use {@link createMessagingTestBed}.
 *
 * @example
 * ```ts
 * import { act, matchEvent } from '@tributary/core';
 * import { MsgEffect, reply } from '@tributary/messaging';
 * import { assertEffect } from '@tributary/testing';
 *
 * const ping$: MsgEffect = event$ =>
 *   event$.pipe(matchEvent('Ping'), act(event => reply(event)({ type: 'Pong' })));
 *
 * it('answers Ping with Pong', () => {
 *   const request = { type: 'Ping', metadata: { replyTo: 'caller', correlationId: 'c-1' } };
 *   assertEffect(
 *     ping$,
 *     ['-a-b-', { a: request, b: { type: 'Other' } }],
 *     ['-p---', { p: { type: 'Pong', metadata: { replyTo: 'caller', correlationId: 'c-1' } } }],
 *   );
 * });
 * ```
 * @see createTestScheduler, for diagrams with several inputs
 * @param effect - the effect under test
 * @param input - `[marbles, values?, error?]` of the incoming events
 * @param expected - `[marbles, values?, error?]` of what the effect must emit
 * @param options - `dependencies` for `ctx.ask`, `client` for `ctx.client`
 * @since 0.1.0
 * @category marbles
 */
export const assertEffect = <I, O, Client = any>(
  effect: Effect<I, O, Client>,
  input: MarbleSpec<I>,
  expected: MarbleSpec<O>,
  options: AssertEffectOptions<Client> = {},
): void => {
  const [inputMarbles, inputValues, inputError] = input;
  const [expectedMarbles, expectedValues, expectedError] = expected;
  const scheduler = createTestScheduler();
  scheduler.run(({ hot, expectObservable }) => {
    const ctx = buildTestContext(options.dependencies ?? [], { client: options.client as Client, scheduler });
    const output$ = effect(hot(inputMarbles, inputValues, inputError), ctx);
    if (!isObservable(output$)) {
      throw new TypeError(
        `assertEffect: ${effectName(effect)} returned ${output$ === undefined ? 'undefined' : typeof output$}, not a stream. ` +
          "Double check you're not missing a return statement!",
      );
    }
    expectObservable(output$).toBe(expectedMarbles, expectedValues, expectedError);
  });
};
