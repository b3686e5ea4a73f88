import {
  bindTo,
  BoundDependency,
  ContextError,
  ContextProvider,
  ContextToken,
  createContext,
  createEffectContext,
  EffectContext,
  LoggerToken,
  lookup,
  registerAll,
} from '@tributary/core';
import type { SchedulerLike } from 'rxjs';
import { createTestLogger } from './testLogger';

export type Bindings = ReadonlyArray<BoundDependency<any> | undefined | null>;

const nameOf = (token: ContextToken): string => token.name ?? token._id;

/** Core throws this (a ContextError carrying the pending promise) for an async reader not resolved yet. */
const isPending = (error: unknown): boolean => error instanceof ContextError && 'promise' in error;

/**
 * A context of `bindings` (a silent logger first, so that the bindings may replace it),
 * resolved synchronously: each reader runs on first `ask`, eager ones at once.
 */
export const buildTestContext = <Client>(
  bindings: Bindings,
  extra: { client: Client; scheduler?: SchedulerLike },
): EffectContext<Client> => {
  const context = registerAll([bindTo(LoggerToken)(createTestLogger), ...bindings])(createContext());
  const inner = lookup(context);
  const ask = (<T>(token: ContextToken<T>) => {
    try {
      return inner(token);
    } catch (error) {
      if (!isPending(error)) throw error;
      throw new ContextError(
        `"${nameOf(token)}" is bound to an async reader, but a test context is built synchronously. ` +
          `Bind the value itself (bindTo(${nameOf(token)})(value)), or test the effect on createMessagingTestBed, which awaits async readers.`,
      );
    }
  }) as ContextProvider;
  // fail at creation, not in the middle of a marble test, when an eager reader throws
  for (const bound of bindings) if (bound?.eager) ask(bound.token);
  return createEffectContext({ ask, client: extra.client, scheduler: extra.scheduler });
};
