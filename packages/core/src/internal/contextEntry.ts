import type { ContextToken } from '../context/contextToken';
import { ContextError } from '../error/ContextError';

/**
 * The state of a binding: not built, being built, waiting for an async reader, built, failed.
 * @since 0.1.0
 * @category context
 */
export const enum EntryState {
  UNRESOLVED,
  EVALUATING,
  PENDING,
  RESOLVED,
  FAILED,
}

/**
 * One binding in a context: the reader, and what became of it (internal state; read it only
 * through `lookup` / `useContext`).
 * @since 0.1.0
 * @category context
 */
export interface ContextEntry {
  token: ContextToken;
  eager: boolean;
  reader: (context: any) => unknown;
  state: EntryState;
  value?: unknown;
  promise?: Promise<unknown>;
  error?: unknown;
  /** Releases the value (see `onDispose`); cleared once called. */
  dispose?: (value: any) => unknown;
}

/** Thrown inside a reader that asked for a dependency still resolving; resolve() waits and retries. */
export class PendingDependency extends ContextError {
  constructor(
    readonly token: ContextToken,
    readonly promise: Promise<unknown>,
  ) {
    super(
      `"${token.name ?? token._id}" is bound to an async reader that has not resolved yet. ` +
        'Bind it with bindEagerlyTo, or ask for it from another reader while the context is built, so that it is awaited.',
    );
  }
}

export const tokenName = (token: ContextToken): string => token.name ?? token._id;

export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  !!value && typeof (value as { then?: unknown }).then === 'function';
