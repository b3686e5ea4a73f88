import type * as amqp from 'amqplib';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { LiveChannel } from './live';

/** A message delivered to a consumer: the channel that must settle it, and whether it was. */
export interface Delivery {
  readonly msg: amqp.Message;
  readonly channel: LiveChannel;
  settled: boolean;
}

// keyed on the amqplib message (`TransportMessage.raw`), which the messaging layer keeps as is
const deliveries = new WeakMap<object, Delivery>();

export const trackDelivery = (msg: amqp.Message, channel: LiveChannel): void => {
  deliveries.set(msg, { msg, channel, settled: false });
};

/**
 * Takes the right to settle a message: once only, and only while the channel that delivered
 * it lives. On a dead channel nothing is done: the broker redelivers the message by itself.
 */
export const claimDelivery = (message: TransportMessage | undefined): Delivery | undefined => {
  const delivery = message?.raw && typeof message.raw === 'object' ? deliveries.get(message.raw) : undefined;
  if (!delivery || delivery.settled) return undefined;
  delivery.settled = true;
  return delivery.channel.open ? delivery : undefined;
};

/** Acknowledges, ignoring a channel that closed meanwhile. */
export const ackDelivery = (delivery: Delivery): void => {
  if (!delivery.channel.open) return;
  try {
    delivery.channel.ch.ack(delivery.msg);
  } catch {
    // closed between the check and the call: the broker redelivers it
  }
};

/** Rejects (`requeue`: back to the queue at once), ignoring a channel that closed meanwhile. */
export const nackDelivery = (delivery: Delivery, requeue: boolean): void => {
  if (!delivery.channel.open) return;
  try {
    delivery.channel.ch.nack(delivery.msg, false, requeue);
  } catch {
    // closed between the check and the call: the broker redelivers it
  }
};
