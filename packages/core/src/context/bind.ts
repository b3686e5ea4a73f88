import type { BoundDependency, ContextReader } from './context';
import type { ContextToken } from './contextToken';

/**
 * A dependency: a reader of the context (sync or async), or a plain value (not a function).
 * @since 0.1.0
 * @category context
 */
export type ReaderOrValue<T> = ContextReader<T | Promise<T>> | Exclude<T, Function>;

const toReader = <T>(dependency: ReaderOrValue<T>): ContextReader<T | Promise<T>> =>
  typeof dependency === 'function' ? (dependency as ContextReader<T>) : () => dependency as T;

/**
 * Binds a token to a reader (or a plain value), built on first use, once. An async reader
 * works too: whoever needs it while the context is built waits for it.
 *
 * @example
 * ```ts
 * import { bindLazilyTo, createContextToken, createReader } from '@tributary/core';
 * const Clock = createContextToken<() => number>('Clock');
 * const ClockReader = createReader(() => () => Date.now());
 * const binding = bindLazilyTo(Clock)(ClockReader);
 * ```
 * @since 0.1.0
 * @category context
 */
export const bindLazilyTo =
  <T>(token: ContextToken<T>) =>
  (dependency: ReaderOrValue<T>): BoundDependency<T> => ({ token, eager: false, reader: toReader(dependency) });

/**
 * Binds a token to a reader built while the context is created (`contextFactory`); async
 * readers are awaited there. Binding order does not matter.
 *
 * @example
 * ```ts
 * import { bindEagerlyTo, createContextToken, createReader } from '@tributary/core';
 * const Db = createContextToken<{ ready: boolean }>('Db');
 * const DbReader = createReader(async () => ({ ready: true }));
 * const binding = bindEagerlyTo(Db)(DbReader);
 * ```
 * @since 0.1.0
 * @category context
 */
export const bindEagerlyTo =
  <T>(token: ContextToken<T>) =>
  (dependency: ReaderOrValue<T>): BoundDependency<T> => ({ token, eager: true, reader: toReader(dependency) });

/**
 * Alias of {@link bindLazilyTo}.
 * @example
 * ```ts
 * import { bindTo, createContextToken } from '@tributary/core';
 * const Port = createContextToken<number>('Port');
 * const binding = bindTo(Port)(8080);
 * ```
 * @since 0.1.0
 * @category context
 */
export const bindTo = bindLazilyTo;
