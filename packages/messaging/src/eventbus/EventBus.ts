import { Context, createContextToken, createLogger, LoggerToken, lookup } from '@tributary/core';
import * as O from 'fp-ts/Option';
import type { Reader } from 'fp-ts/Reader';
import { startService } from '../server/startService';
import { LocalBroker } from '../local/LocalBroker';
import { createLocalTransportLayer, EVENT_BUS_CHANNEL } from '../local/createLocalTransportLayer';
import type { RetryOptions } from '../transport/retry';
import type { Transport } from '../transport/Transport';
import type { MicroserviceConnection } from '../server/microservice.interface';
import type { messagingListener } from '../server/messagingListener';

/**
 * What `EventBus` takes.
 * @since 0.1.0
 * @category event bus
 */
export interface EventBusConfig {
  listener: ReturnType<typeof messagingListener>;
  /** `send` timeout in ms. */
  timeout?: number;
  retry?: RetryOptions;
}

/**
 * The in-process bus: a microservice connection on its own in-memory broker, running its
 * listener with the context it is bound in (so its effects can ask for anything there).
 * @since 0.1.0
 * @category event bus
 */
export interface EventBus extends MicroserviceConnection<Transport.LOCAL> {
  readonly context: Context;
}

/**
 * The token of the event bus.
 * @example
 * ```ts
 * import { bindEagerlyTo } from '@tributary/core';
 * import { EventBus, EventBusToken, messagingListener } from '@tributary/messaging';
 * export const binding = bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [] }) }));
 * ```
 * @since 0.1.0
 * @category event bus
 */
export const EventBusToken = createContextToken<EventBus>('EventBusToken');

/**
 * A context reader starting the in-process event bus. Bind it (eagerly or lazily, before or
 * after `EventBusClient`: order does not matter) and talk to it with `EventBusClient`.
 * Events are never serialized in-process.
 *
 * @example
 * ```ts
 * import { act, bindEagerlyTo, bindTo, contextFactory, lookup, matchEvent, useContext } from '@tributary/core';
 * import { EventBus, EventBusClient, EventBusClientToken, EventBusToken, messagingListener, MsgEffect, reply } from '@tributary/messaging';
 * import { firstValueFrom } from 'rxjs';
 *
 * const getUser$: MsgEffect = event$ =>
 *   event$.pipe(matchEvent('GetUser'), act(e => reply(e)({ type: 'User', payload: { id: e.payload } })));
 *
 * const context = await contextFactory(
 *   bindTo(EventBusClientToken)(EventBusClient),
 *   bindEagerlyTo(EventBusToken)(EventBus({ listener: messagingListener({ effects: [getUser$] }) })),
 * );
 * const bus = useContext(EventBusClientToken)(lookup(context));
 * const user = await firstValueFrom(bus.send({ type: 'GetUser', payload: 'u-1' }));
 * ```
 * @since 0.1.0
 * @category event bus
 */
export const EventBus =
  (config: EventBusConfig): Reader<Context, Promise<EventBus>> =>
  async context => {
    const layer = createLocalTransportLayer({
      channel: EVENT_BUS_CHANNEL,
      broker: new LocalBroker(),
      timeout: config.timeout,
      retry: config.retry,
      subscribe: ['#'],
    });
    const logger = O.getOrElse(() => createLogger())(lookup(context)(LoggerToken));
    const managed = await startService(layer, config.listener, context, logger);
    return Object.assign(managed, { context }) as EventBus;
  };
