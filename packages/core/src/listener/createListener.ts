import { createReader, ReaderHandler } from '../context/createReader';
import type { Listener, ListenerConfig, ListenerHandler } from './listener.interface';

/**
 * Builds a listener factory from a function of its configuration and `ask`.
 *
 * @example
 * ```ts
 * import { createListener, ListenerConfig } from '@tributary/core';
 * export const echoListener = createListener<ListenerConfig & { prefix?: string }, (s: string) => string>(
 *   config => () => (s: string) => `${config?.prefix ?? ''}${s}`,
 * );
 * ```
 * @since 0.1.0
 * @category listener
 */
export const createListener =
  <C extends ListenerConfig, H extends ListenerHandler>(fn: (config?: C) => ReaderHandler<H>): Listener<C, H> =>
  config =>
    createReader(fn(config));
