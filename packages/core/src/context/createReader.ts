import type { Reader } from 'fp-ts/Reader';
import { Context, ContextProvider, lookup } from './context';

/**
 * The function a reader is made of: it gets `ask`, to look up other dependencies.
 * @since 0.1.0
 * @category context
 */
export type ReaderHandler<T> = (ask: ContextProvider) => T;

/**
 * Creates a dependency reader (an fp-ts `Reader<Context, T>`).
 *
 * @example
 * ```ts
 * import { createContextToken, createReader, useContext } from '@tributary/core';
 * const Config = createContextToken<{ prefix: string }>('Config');
 * const Greeter = createReader(ask => {
 *   const { prefix } = useContext(Config)(ask);
 *   return (name: string) => `${prefix} ${name}`;
 * });
 * ```
 * @since 0.1.0
 * @category context
 */
export const createReader =
  <T>(handler: ReaderHandler<T>): Reader<Context, T> =>
  context =>
    handler(lookup(context));
