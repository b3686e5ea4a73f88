import { asyncScheduler, SchedulerLike } from 'rxjs';
import type { ContextProvider } from '../context/context';
import type { EffectContext } from './effect.interface';

/**
 * Builds the context passed to effects.
 *
 * @example
 * ```ts
 * import { contextFactory, createEffectContext, lookup } from '@tributary/core';
 * const context = await contextFactory();
 * const ctx = createEffectContext({ ask: lookup(context), client: undefined });
 * ```
 * @since 0.1.0
 * @category effects
 */
export const createEffectContext = <Client, S extends SchedulerLike = SchedulerLike>(data: {
  ask: ContextProvider;
  client: Client;
  scheduler?: S;
}): EffectContext<Client, S> => ({
  ask: data.ask,
  client: data.client,
  scheduler: (data.scheduler ?? asyncScheduler) as S,
});
