import { TestScheduler } from 'rxjs/testing';
import { assertEqual } from './internal/assertEqual';

/**
 * Creates an RxJS `TestScheduler` that compares frames the way tests expect: with jest's
 * `toEqual` when a global `expect` exists (asymmetric matchers such as
 * `expect.any(String)` work, failures print jest's diff), with `node:assert` otherwise.
 * Use it for marble tests that {@link assertEffect} does not cover (several inputs, hot and
 * cold streams, subscription marbles).
 *
 * @example
 * ```ts
 * import { map } from 'rxjs';
 * import { createTestScheduler } from '@tributary/testing';
 *
 * it('doubles', () => {
 *   createTestScheduler().run(({ cold, expectObservable }) => {
 *     const source$ = cold('-a-b|', { a: 1, b: 2 });
 *     expectObservable(source$.pipe(map(n => n * 2))).toBe('-x-y|', { x: 2, y: 4 });
 *   });
 * });
 * ```
 * @see assertEffect
 * @return a `TestScheduler`; drive it with `run(helpers => ...)`
 * @since 0.1.0
 * @category marbles
 */
export const createTestScheduler = (): TestScheduler => new TestScheduler(assertEqual);
