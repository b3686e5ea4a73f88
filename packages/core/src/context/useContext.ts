import * as O from 'fp-ts/Option';
import { ContextError } from '../error/ContextError';
import { tokenName } from '../internal/contextEntry';
import { boundTokenNames, ContextProvider } from './context';
import type { ContextToken } from './contextToken';

/**
 * Gets a dependency, or throws a {@link ContextError} naming the missing token and listing
 * the bound ones.
 *
 * @example
 * ```ts
 * import { bindTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
 * const Port = createContextToken<number>('Port');
 * contextFactory(bindTo(Port)(8080)).then(context => useContext(Port)(lookup(context))); // 8080
 * ```
 * @since 0.1.0
 * @category context
 */
export const useContext =
  <T>(token: ContextToken<T>, moduleName?: string) =>
  (ask: ContextProvider): T => {
    const found = ask(token);
    if (O.isSome(found)) return found.value;
    const where = moduleName ? ` (asked in ${moduleName})` : '';
    throw new ContextError(
      `Cannot resolve "${tokenName(token)}"${where}: it is not bound in the context. ` +
        `Bound tokens: [${boundTokenNames(ask).join(', ')}]. Add bindTo(${tokenName(token)}Token)(reader) to the dependencies.`,
    );
  };
