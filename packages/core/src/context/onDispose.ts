import type { BoundDependency, Context } from './context';
import { EntryState } from '../internal/contextEntry';

/** The default disposer: calls the value's `close()` when it has one. */
const closeIt = (value: unknown): unknown => {
  const close = (value as { close?: unknown } | null | undefined)?.close;
  return typeof close === 'function' ? close.call(value) : undefined;
};

/**
 * Makes a binding disposable: when its context is disposed (`disposeContext`, which
 * `microservice.close()` calls after the drain), the built value is released with `dispose`
 * (default: its `close()`). A binding never built is not built for that.
 *
 * @example
 * ```ts
 * import { bindEagerlyTo, createContextToken, onDispose } from '@tributary/core';
 * const Db = createContextToken<{ close(): Promise<void> }>('Db');
 * const binding = onDispose(bindEagerlyTo(Db)(async () => ({ close: async () => undefined })));
 * // createMicroservice({ ..., dependencies: [binding] }): microservice.close() closes it
 * ```
 * @since 0.2.0
 * @category context
 */
export const onDispose = <T>(binding: BoundDependency<T>, dispose: (value: T) => unknown = closeIt): BoundDependency<T> => ({ ...binding, dispose });

/**
 * Releases the built values of a context's disposable bindings (see {@link onDispose}), the
 * last registered first, each once. Every disposer runs even when one fails; the failures are
 * thrown together afterwards (`AggregateError`).
 *
 * @example
 * ```ts
 * import { bindEagerlyTo, contextFactory, createContextToken, disposeContext, onDispose } from '@tributary/core';
 * const Conn = createContextToken<{ close(): void }>('Conn');
 * const context = await contextFactory(onDispose(bindEagerlyTo(Conn)({ close: () => undefined })));
 * await disposeContext(context);
 * ```
 * @since 0.2.0
 * @category context
 */
export const disposeContext = async (context: Context): Promise<void> => {
  const errors: unknown[] = [];
  for (const entry of [...context.values()].reverse()) {
    const dispose = entry.dispose;
    if (!dispose || entry.state !== EntryState.RESOLVED) continue;
    entry.dispose = undefined;
    try {
      await dispose(entry.value);
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length) throw new AggregateError(errors, `${errors.length} disposer(s) failed while closing the context: see \`errors\`.`);
};
