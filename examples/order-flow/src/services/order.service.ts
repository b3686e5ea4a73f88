import { randomUUID } from 'node:crypto';
import { act, eventValidator$, matchEvent, useContext } from '@tributary/core';
import { MsgEffect, reply } from '@tributary/messaging';
import { OrderAccepted, OrderCreated, PlaceOrder } from '../events';
import { TimelineToken } from '../timeline';
import { PublisherToken } from './publisher';

/** Accepts an order (replying to the caller) and publishes OrderCreated. */
export const placeOrder$: MsgEffect = (event$, ctx) => {
  const publisher = useContext(PublisherToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  return event$.pipe(
    matchEvent(PlaceOrder),
    act(eventValidator$(PlaceOrder)),
    act(async event => {
      const orderId = `o-${randomUUID().slice(0, 6)}`;
      timeline.record('order', `accepted ${orderId} for ${event.payload.customer} (${event.payload.total} €)`);
      await publisher.publish(OrderCreated.create({ orderId, ...event.payload }, { correlationId: orderId }));
      return reply(event)(OrderAccepted.create({ orderId }));
    }),
  );
};

export const orderEffects = [placeOrder$];
