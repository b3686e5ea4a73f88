import { Context, createContextToken, Event, lookup, useContextAsync } from '@tributary/core';
import type { Reader } from 'fp-ts/Reader';
import { defer, from, Observable, switchMap } from 'rxjs';
import { createClientApi, MessagingClient } from '../client/MessagingClient';
import { EVENT_BUS_CHANNEL } from '../local/createLocalTransportLayer';
import { jsonTransformer } from '../transport/jsonTransformer';
import { EventBus, EventBusToken } from './EventBus';

/**
 * A client of the in-process bus: the `MessagingClient` API plus `event$`, every event on
 * the bus (for bridges such as WebSockets).
 * @since 0.1.0
 * @category event bus
 */
export interface EventBusClient extends MessagingClient {
  readonly event$: Observable<Event>;
}

/**
 * The token of the event bus client.
 * @example
 * ```ts
 * import { bindTo } from '@tributary/core';
 * import { EventBusClient, EventBusClientToken } from '@tributary/messaging';
 * export const binding = bindTo(EventBusClientToken)(EventBusClient);
 * ```
 * @since 0.1.0
 * @category event bus
 */
export const EventBusClientToken = createContextToken<EventBusClient>('EventBusClientToken');

/**
 * A context reader of the {@link EventBusClient}. It finds the bus when first used, so it can
 * be bound before or after `EventBus`, eagerly or lazily, and used from effects running on
 * the bus itself.
 *
 * @example
 * ```ts
 * import { bindTo } from '@tributary/core';
 * import { EventBusClient, EventBusClientToken } from '@tributary/messaging';
 * export const dependencies = [bindTo(EventBusClientToken)(EventBusClient)];
 * ```
 * @since 0.1.0
 * @category event bus
 */
export const EventBusClient: Reader<Context, EventBusClient> = context => {
  let bus: EventBus | undefined;
  const getBus = async () => (bus ??= await useContextAsync(EventBusToken, 'EventBusClient')(lookup(context)));
  const api = createClientApi(getBus, { channel: EVENT_BUS_CHANNEL, wire: 'object', system: 'local', transport: 'local' }, jsonTransformer);
  return {
    ...api,
    // the bus belongs to the context, not to its clients
    close: async () => undefined,
    event$: defer(() => from(getBus())).pipe(switchMap(b => b.event$)),
  };
};
