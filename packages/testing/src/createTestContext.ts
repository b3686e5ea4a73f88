import type { BoundDependency, EffectContext } from '@tributary/core';
import { buildTestContext } from './internal/buildTestContext';

/**
 * Builds the context an effect gets (`ctx`), whose `ask` resolves the given bindings, for
 * calling an effect by hand in a test. The bindings are resolved synchronously (each reader
 * on first use, eager ones at once); the last binding of a token wins, so a test can put an
 * override after shared defaults. A silent logger is bound under `LoggerToken` unless you
 * bind one (`LOG_LEVEL=debug` makes it talk). `client` is `undefined`.
 *
 * @example
 * ```ts
 * import { bindTo, createContextToken, useContext } from '@tributary/core';
 * import { createTestContext } from '@tributary/testing';
 *
 * const Clock = createContextToken<() => number>('Clock');
 *
 * it('reads the clock from the context', () => {
 *   const ctx = createTestContext(bindTo(Clock)(() => () => 42));
 *   expect(useContext(Clock)(ctx.ask)()).toBe(42);
 * });
 * ```
 * @see assertEffect, which builds one from its `dependencies` option
 * @param bindings - `bindTo(Token)(readerOrValue)` and friends; `undefined` entries are skipped
 * @return an `EffectContext` with `ask`, the async `scheduler` (virtual inside `TestScheduler.run`) and no client
 * @since 0.1.0
 * @category context
 */
export const createTestContext = (...bindings: ReadonlyArray<BoundDependency<any> | undefined | null>): EffectContext<undefined> =>
  buildTestContext(bindings, { client: undefined });
