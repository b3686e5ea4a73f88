import type * as amqp from 'amqplib';
import type { InFlightMessages } from '@tributary/messaging/transport';
import type { LiveChannel } from './live';

/** A message delivered to a consumer, and the channel that must settle it. */
export interface Delivery {
  readonly msg: amqp.Message;
  readonly channel: LiveChannel;
}

/** The connection's unsettled deliveries, keyed on the amqplib message (`TransportMessage.raw`). */
export type Deliveries = InFlightMessages<amqp.Message, Delivery>;

/** Acknowledges, ignoring a channel that closed meanwhile (the broker redelivers it). */
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
