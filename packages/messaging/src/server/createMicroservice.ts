import {
  bindTo,
  BoundDependency,
  combineEffects,
  contextFactory,
  Context,
  createEffectContext,
  createLogger,
  Logger,
  LoggerLevel,
  LoggerToken,
  lookup,
  useContext,
} from '@tributary/core';
import { Subject, takeWhile } from 'rxjs';
import type { MsgServerEffect } from '../effects/messaging.effects.interface';
import type { DeliveryMachine } from '../internal/DeliveryMachine';
import { startService } from './startService';
import type { Transport } from '../transport/Transport';
import { provideTransportLayer, TransportProvider } from '../transport/provideTransportLayer';
import type { TransportLayer } from '../transport/transport.interface';
import type { TransportOptions } from '../transport/TransportOptionsMap';
import type { CloseOptions, MicroserviceConnection } from './microservice.interface';
import type { messagingListener } from './messagingListener';
import { AllServerEvents, isCloseEvent, ServerEvent } from './serverEvents';
import { ServerEventsToken, TransportLayerToken } from './tokens';

/**
 * What `createMicroservice` takes.
 * @since 0.1.0
 * @category microservice
 */
export interface CreateMicroserviceConfig<T extends Transport | TransportProvider = Transport | TransportProvider> {
  /** `Transport.LOCAL`, `Transport.AMQP`, `Transport.REDIS`, ..., or a provider object. */
  transport: T;
  /** The transport's options (`queue`/`channel`, `host`, `subscribe`, `retry`, ...), type-checked per transport. */
  options?: TransportOptions<T>;
  listener: ReturnType<typeof messagingListener>;
  dependencies?: ReadonlyArray<BoundDependency<any> | undefined | null>;
  /** An effect over server events (status, error, close). */
  event$?: MsgServerEffect;
}

/**
 * A microservice ready to start: call it to connect and consume.
 * @since 0.1.0
 * @category microservice
 */
export interface Microservice {
  (): Promise<MicroserviceConnection>;
  readonly context: Context;
  /** Closes the started connection (draining); a no-op before start. */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Creates a microservice: builds its context, then returns a function that connects to the
 * transport and starts consuming (resolving the connection). `connection.close()` (or
 * `microservice.close()`) drains in-flight events before disconnecting.
 *
 * @example
 * ```ts
 * import { act, matchEvent } from '@tributary/core';
 * import { createMicroservice, messagingListener, MsgEffect, reply, Transport } from '@tributary/messaging';
 *
 * const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
 * const fib$: MsgEffect = event$ =>
 *   event$.pipe(matchEvent('FIB'), act(e => reply(e)({ type: 'FIB_RESULT', payload: fib(e.payload as number) })));
 *
 * const microservice = await createMicroservice({
 *   transport: Transport.LOCAL,
 *   options: { channel: 'fib' },
 *   listener: messagingListener({ effects: [fib$] }),
 * });
 * const connection = await microservice();
 * await connection.close({ drainTimeout: 5000 });
 * ```
 * @since 0.1.0
 * @category microservice
 */
export const createMicroservice = async <T extends Transport | TransportProvider>(config: CreateMicroserviceConfig<T>): Promise<Microservice> => {
  const { transport, options, listener, dependencies = [], event$ } = config;
  const layer = provideTransportLayer(transport, options);
  const serverEvents = new Subject<AllServerEvents>();
  const context = await contextFactory(
    bindTo(LoggerToken)(() => createLogger()),
    bindTo(TransportLayerToken)(() => layer as TransportLayer),
    bindTo(ServerEventsToken)(() => serverEvents),
    ...dependencies,
  );
  const ask = lookup(context);
  const logger: Logger = useContext(LoggerToken)(ask);
  const serverCtx = createEffectContext({ ask, client: undefined });
  const serverEffects = event$ ? combineEffects(event$) : undefined;
  serverEffects?.(serverEvents.pipe(takeWhile(e => !isCloseEvent(e), true)), serverCtx).subscribe();

  let connection: DeliveryMachine | undefined;
  const { host, channel } = layer.config;

  const start = async (): Promise<MicroserviceConnection> => {
    if (connection) return connection;
    const managed = await startService(layer, listener, context, logger);
    managed.status$.subscribe(status => serverEvents.next(ServerEvent.status(host, channel, String(status))));
    managed.error$.subscribe(error => serverEvents.next(ServerEvent.error(error)));
    managed.close$.subscribe({ complete: () => serverEvents.next(ServerEvent.close()) });
    logger({ tag: 'messaging', type: 'Microservice', message: `Listening on "${channel}" (${host})`, level: LoggerLevel.INFO })();
    connection = managed;
    return managed;
  };

  return Object.assign(start, {
    context,
    close: (closeOptions?: CloseOptions) => connection?.close(closeOptions) ?? Promise.resolve(),
  });
};
