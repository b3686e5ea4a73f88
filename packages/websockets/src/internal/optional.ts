import type { ContextProvider, ContextToken } from '@tributary/core';

/** A dependency if bound, else undefined (without making users depend on fp-ts here). */
export const optional = <T>(ask: ContextProvider, token: ContextToken<T>): T | undefined => {
  const found = ask(token) as { _tag: 'Some'; value: T } | { _tag: 'None' };
  return found._tag === 'Some' ? found.value : undefined;
};
