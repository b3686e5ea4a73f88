import type { Reader } from 'fp-ts/Reader';
import type { BoundDependency, Context } from '../context/context';
import type { Effect } from '../effects/effect.interface';

/**
 * What a listener is configured with.
 * @since 0.1.0
 * @category listener
 */
export interface ListenerConfig<Client = any> {
  effects?: any[];
  middlewares?: any[];
  error$?: Effect<any, any, Client>;
  output$?: Effect<any, any, Client>;
}

/** What a listener does once given its context. */
export type ListenerHandler = (...args: any[]) => any;

/**
 * A listener: configuration in, a context reader of the handler out.
 * @since 0.1.0
 * @category listener
 */
export interface Listener<C extends ListenerConfig = ListenerConfig, H extends ListenerHandler = ListenerHandler> {
  (config?: C): Reader<Context, H>;
}

/**
 * A started server's entry: call it to connect; its `context` holds the dependencies.
 * @since 0.1.0
 * @category listener
 */
export interface ServerIO<T> {
  (): Promise<T>;
  context: Context;
}

/**
 * What every server factory takes.
 * @since 0.1.0
 * @category listener
 */
export interface ServerConfig<E extends Effect<any, any, any>, L extends ReturnType<Listener> = ReturnType<Listener>> {
  event$?: E;
  listener: L;
  dependencies?: ReadonlyArray<BoundDependency<any> | undefined | null>;
}
