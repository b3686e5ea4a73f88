import type { Context, Logger } from '@tributary/core';
import { DeliveryMachine } from '../internal/DeliveryMachine';
import type { TransportLayer } from '../transport/transport.interface';
import type { messagingListener } from './messagingListener';

/**
 * The one start sequence of a service, for `createMicroservice` and `EventBus` alike: connect
 * as a consumer, put the delivery machine in front of the connection, and run the listener,
 * bound to `context`, on it.
 */
export const startService = async (
  layer: TransportLayer,
  listener: ReturnType<typeof messagingListener>,
  context: Context,
  logger: Logger,
): Promise<DeliveryMachine> => {
  const connection = await layer.connect({ isConsumer: true });
  const machine = new DeliveryMachine(connection, layer.config, logger);
  machine.start(listener(context)(machine));
  return machine;
};
