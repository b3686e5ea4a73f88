import { BoundDependency, Context, createContext, DerivedContextToken, registerAll, resolve } from './context';
import { bindTo } from './bind';
import { LoggerToken } from '../logger/LoggerToken';
import { createLogger } from '../logger/createLogger';

/**
 * Builds a new context, or one derived from `parent` (looking up there what it lacks), and
 * resolves its eager bindings.
 *
 * @example
 * ```ts
 * import { bindTo, constructContext, contextFactory, createContextToken } from '@tributary/core';
 * const A = createContextToken<number>('A');
 * const B = createContextToken<number>('B');
 * contextFactory(bindTo(A)(1)).then(parent => constructContext(parent)(bindTo(B)(2)));
 * ```
 * @since 0.1.0
 * @category context
 */
export const constructContext =
  (parent?: Context) =>
  (...dependencies: ReadonlyArray<BoundDependency | undefined | null>): Promise<Context> => {
    const context = registerAll(dependencies)(createContext());
    if (parent) registerAll([bindTo(DerivedContextToken)(() => parent)])(context);
    return resolve(context);
  };

/**
 * Builds and resolves a context from bindings, given in any order. As in Marble.js, a default
 * logger is bound to `LoggerToken` (a binding of yours to it takes its place).
 *
 * @example
 * ```ts
 * import { bindEagerlyTo, bindTo, contextFactory, createContextToken, createReader, useContext } from '@tributary/core';
 * const Url = createContextToken<string>('Url');
 * const Client = createContextToken<{ url: string }>('Client');
 * const context = await contextFactory(
 *   bindEagerlyTo(Client)(createReader(async ask => ({ url: useContext(Url)(ask) }))),
 *   bindTo(Url)('amqp://127.0.0.1:5672'),
 * );
 * ```
 * @since 0.1.0
 * @category context
 */
export const contextFactory = (...dependencies: ReadonlyArray<BoundDependency | undefined | null>): Promise<Context> =>
  // the default first: a later binding to the same token replaces it
  constructContext()(bindTo(LoggerToken)(() => createLogger()), ...dependencies);
