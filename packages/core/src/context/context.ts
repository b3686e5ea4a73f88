import * as O from 'fp-ts/Option';
import * as R from 'fp-ts/Reader';
import { ContextError } from '../error/ContextError';
import { ContextEntry, EntryState, isThenable, PendingDependency, tokenName } from '../internal/contextEntry';
import { createContextToken, ContextToken } from './contextToken';

/**
 * The dependency container: a map from tokens to bindings. Build it with
 * `contextFactory(...bindings)`.
 * @since 0.1.0
 * @category context
 */
export interface Context extends Map<ContextToken, ContextEntry> {}

/**
 * Looks up a dependency by token; `none` when it is not bound.
 * @since 0.1.0
 * @category context
 */
export interface ContextProvider {
  <T>(token: ContextToken<T>): O.Option<T>;
}

/**
 * A reader of the context: how a dependency is built.
 * @since 0.1.0
 * @category context
 */
export interface ContextReader<T = any> extends R.Reader<Context, T> {}

/**
 * A token bound to a reader (or a value), lazily or eagerly. Made by `bindTo`,
 * `bindLazilyTo` and `bindEagerlyTo`.
 * @since 0.1.0
 * @category context
 */
export interface BoundDependency<T = any> {
  readonly token: ContextToken<T>;
  readonly eager: boolean;
  readonly reader: ContextReader<T | Promise<T>>;
  /** Releases the built value when the context is disposed (`disposeContext`); see `onDispose`. Since 0.2.0. */
  readonly dispose?: (value: T) => unknown;
}

/** Token under which a derived context keeps its parent. */
export const DerivedContextToken = createContextToken<Context>('DerivedContext');

const CONTEXT = Symbol('context');

/**
 * Creates an empty context.
 * @example
 * ```ts
 * import { createContext } from '@tributary/core';
 * const context = createContext();
 * ```
 * @since 0.1.0
 * @category context
 */
export const createContext = (): Context => new Map() as Context;

/**
 * Registers a binding in a context (replacing an earlier binding of the same token).
 * @example
 * ```ts
 * import { bindTo, createContext, createContextToken, register } from '@tributary/core';
 * const Port = createContextToken<number>('Port');
 * const context = register(bindTo(Port)(8080))(createContext());
 * ```
 * @since 0.1.0
 * @category context
 */
export const register =
  <T>(bound: BoundDependency<T>) =>
  (context: Context): Context => {
    context.set(bound.token, { token: bound.token, eager: bound.eager, reader: bound.reader, state: EntryState.UNRESOLVED, dispose: bound.dispose });
    return context;
  };

/**
 * Registers many bindings, in any order.
 * @example
 * ```ts
 * import { bindTo, createContext, createContextToken, registerAll } from '@tributary/core';
 * const A = createContextToken<number>('A');
 * const context = registerAll([bindTo(A)(1)])(createContext());
 * ```
 * @since 0.1.0
 * @category context
 */
export const registerAll =
  (bound: ReadonlyArray<BoundDependency | undefined | null>) =>
  (context: Context): Context =>
    bound.reduce<Context>((ctx, b) => (b ? register(b)(ctx) : ctx), context);

/**
 * Removes a token from a context.
 * @example
 * ```ts
 * import { createContext, createContextToken, unregister } from '@tributary/core';
 * unregister(createContextToken('A'))(createContext());
 * ```
 * @since 0.1.0
 * @category context
 */
export const unregister =
  (token: ContextToken) =>
  (context: Context): Context => {
    context.delete(token);
    return context;
  };

const evaluate = (context: Context, entry: ContextEntry): unknown => {
  switch (entry.state) {
    case EntryState.RESOLVED:
      return entry.value;
    case EntryState.PENDING:
      throw new PendingDependency(entry.token, entry.promise!);
    case EntryState.EVALUATING:
      throw new ContextError(`Circular dependency: "${tokenName(entry.token)}" needs itself to be built.`);
    case EntryState.FAILED:
      throw new ContextError(`Dependency "${tokenName(entry.token)}" failed to build: ${String((entry.error as Error)?.message ?? entry.error)}`, {
        cause: entry.error,
      });
  }
  entry.state = EntryState.EVALUATING;
  let value: unknown;
  try {
    value = entry.reader(context);
  } catch (error) {
    entry.state = EntryState.UNRESOLVED;
    throw error;
  }
  if (!isThenable(value)) {
    entry.state = EntryState.RESOLVED;
    entry.value = value;
    return value;
  }
  entry.state = EntryState.PENDING;
  entry.promise = Promise.resolve(value).then(
    resolved => {
      entry.state = EntryState.RESOLVED;
      entry.value = resolved;
      entry.promise = undefined;
      return resolved;
    },
    error => {
      // a reader that awaited a dependency still resolving is simply tried again
      entry.state = error instanceof PendingDependency ? EntryState.UNRESOLVED : EntryState.FAILED;
      entry.error = error;
      entry.promise = undefined;
      throw error;
    },
  );
  entry.promise.catch(() => undefined);
  throw new PendingDependency(entry.token, entry.promise);
};

/**
 * Looks a dependency up in a context, building a lazy one on first use (once). Falls back
 * to the parent of a derived context.
 *
 * @example
 * ```ts
 * import { bindTo, contextFactory, createContextToken, lookup } from '@tributary/core';
 * const Port = createContextToken<number>('Port');
 * contextFactory(bindTo(Port)(8080)).then(context => lookup(context)(Port)); // some(8080)
 * ```
 * @since 0.1.0
 * @category context
 */
export const lookup = (context: Context): ContextProvider => {
  const ask = (<T>(token: ContextToken<T>): O.Option<T> => {
    const entry = context.get(token);
    if (entry) return O.some((entry.state === EntryState.RESOLVED ? entry.value : evaluate(context, entry)) as T);
    // the parent binding may be lazy (as Marble.js binds it): build it on first fallback
    const parent = context.get(DerivedContextToken);
    if (!parent) return O.none;
    const parentContext = (parent.state === EntryState.RESOLVED ? parent.value : evaluate(context, parent)) as Context;
    return lookup(parentContext)(token);
  }) as ContextProvider;
  (ask as any)[CONTEXT] = context;
  return ask;
};

/** The tokens bound in the context behind a provider made by `lookup` (for error messages). */
export const boundTokenNames = (ask: ContextProvider): string[] => {
  const context = (ask as any)[CONTEXT] as Context | undefined;
  return context ? [...context.keys()].filter(t => t !== DerivedContextToken).map(tokenName) : [];
};

/**
 * Resolves the eager bindings of a context, awaiting async readers, in whatever order they
 * were bound: a reader that needs a dependency still resolving is retried once it resolves.
 *
 * @example
 * ```ts
 * import { bindEagerlyTo, createContext, createContextToken, register, resolve } from '@tributary/core';
 * const Config = createContextToken<{ url: string }>('Config');
 * resolve(register(bindEagerlyTo(Config)(async () => ({ url: 'amqp://127.0.0.1' })))(createContext()));
 * ```
 * @since 0.1.0
 * @category context
 */
export const resolve = async (context: Context): Promise<Context> => {
  const eager = [...context.values()].filter(entry => entry.eager);
  const resolvedCount = () => eager.filter(e => e.state === EntryState.RESOLVED).length;
  for (let stalls = 0; stalls <= eager.length + 1; ) {
    const before = resolvedCount();
    const waits: Promise<unknown>[] = [];
    for (const entry of eager) {
      if (entry.state === EntryState.RESOLVED) continue;
      try {
        evaluate(context, entry);
      } catch (error) {
        if (!(error instanceof PendingDependency)) {
          throw error instanceof ContextError
            ? error
            : new ContextError(`Dependency "${tokenName(entry.token)}" failed to build: ${(error as Error)?.message ?? String(error)}`, { cause: error });
        }
        waits.push(error.promise);
      }
    }
    if (waits.length === 0) return context;
    await Promise.allSettled(waits);
    // an async reader that asked for a dependency still resolving waits for that one next
    const inner = eager
      .filter(e => e.state === EntryState.UNRESOLVED && e.error instanceof PendingDependency)
      .map(e => (e.error as PendingDependency).promise);
    if (inner.length) await Promise.allSettled(inner);
    stalls = resolvedCount() > before ? 0 : stalls + 1;
  }
  const stuck = eager.filter(e => e.state !== EntryState.RESOLVED).map(e => `"${tokenName(e.token)}"`);
  throw new ContextError(`Could not resolve ${stuck.join(', ')}: they wait on each other. Break the cycle or bind one of them lazily.`);
};

/**
 * A reader of the context's provider, for Marble.js compatibility.
 * @example
 * ```ts
 * import { contextFactory, reader } from '@tributary/core';
 * contextFactory().then(context => reader(context));
 * ```
 * @since 0.1.0
 * @category context
 */
export const reader: R.Reader<Context, ContextProvider> = context => lookup(context);
