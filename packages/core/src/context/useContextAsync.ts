import { PendingDependency } from '../internal/contextEntry';
import type { ContextProvider } from './context';
import type { ContextToken } from './contextToken';
import { useContext } from './useContext';

/**
 * Gets a dependency that may still be resolving (an async reader bound lazily, or asked
 * for while the context is being built): waits for it. Throws like {@link useContext} when
 * the token is not bound.
 *
 * @example
 * ```ts
 * import { bindTo, contextFactory, createContextToken, lookup, useContextAsync } from '@tributary/core';
 * const Db = createContextToken<{ ok: boolean }>('Db');
 * const context = await contextFactory(bindTo(Db)(async () => ({ ok: true })));
 * const db = await useContextAsync(Db)(lookup(context)); // { ok: true }
 * ```
 * @since 0.1.0
 * @category context
 */
export const useContextAsync =
  <T>(token: ContextToken<T>, moduleName?: string) =>
  async (ask: ContextProvider): Promise<T> => {
    for (;;) {
      try {
        return useContext(token, moduleName)(ask);
      } catch (error) {
        if (!(error instanceof PendingDependency)) throw error;
        await error.promise.catch(() => undefined);
      }
    }
  };

