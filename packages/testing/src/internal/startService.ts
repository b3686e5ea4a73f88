import { bindTo, BoundDependency, Context, Event, getDeliveryTracker, LoggerToken } from '@tributary/core';
import {
  createMicroservice,
  EventBus,
  EventBusClient,
  EventBusClientToken,
  EventBusToken,
  MessagingClient,
  messagingListener,
  MicroserviceConnection,
  Transport,
} from '@tributary/messaging';
import { recordingClient } from './recordingClient';
import { createTestLogger } from './testLogger';

/** One service of a test bed, running. */
export interface RunningService {
  readonly channel: string;
  readonly connection: MicroserviceConnection;
  readonly context: Context;
  /** a client whose target is this service's channel */
  readonly client: MessagingClient;
}

/**
 * Starts a listener on the bed's broker (in `transportOptions`), records what it sends
 * (its outputs, and what its effects hand `EventBusClientToken`), and makes a client of it.
 */
export const startService = async (
  listener: ReturnType<typeof messagingListener>,
  dependencies: ReadonlyArray<BoundDependency<any> | undefined | null>,
  transportOptions: Record<string, unknown> & { channel: string },
  record: (event: Event) => void,
): Promise<RunningService> => {
  let started!: (bus: EventBus) => void;
  const bus = new Promise<EventBus>(resolve => (started = resolve));
  const microservice = await createMicroservice({
    transport: Transport.LOCAL,
    options: transportOptions,
    listener,
    dependencies: [
      bindTo(LoggerToken)(createTestLogger),
      // the service is the bus its effects talk to (resolved once it listens), and the bed records what they send there
      bindTo(EventBusToken)(() => bus),
      bindTo(EventBusClientToken)(context => recordingClient(EventBusClient(context), record)),
      ...dependencies,
    ],
  });
  const connection = await microservice();
  started(Object.assign(connection, { context: microservice.context }) as EventBus);
  // inputs carry their delivery's tracker; what the service sends does not
  connection.event$.subscribe(event => {
    if (!getDeliveryTracker(event)) record(event);
  });
  const client = await MessagingClient({ transport: Transport.LOCAL, options: transportOptions })(microservice.context);
  return { channel: transportOptions.channel, connection, context: microservice.context, client };
};
