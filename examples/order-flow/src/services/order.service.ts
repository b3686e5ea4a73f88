import { randomUUID } from 'node:crypto';
import { act, createContextToken, eventValidator$, matchEvent, useContext } from '@tributary/core';
import { MsgEffect, reply } from '@tributary/messaging';
import { OrderAccepted, OrderCreated, PaymentDeclined, PaymentRefunded, PlaceOrder, StockReserved } from '../events';
import { TimelineToken } from '../timeline';
import { PublisherToken } from './publisher';

/** How an order ended. */
export type OrderOutcome = 'confirmed' | 'cancelled: payment declined' | 'cancelled: out of stock, refunded';

/** The order service's state: each order's outcome, once known. */
export const OrderBookToken = createContextToken<Map<string, OrderOutcome>>('OrderBook');

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

/** Closes an order with the saga's outcome. */
export const closeOrder$: MsgEffect = (event$, ctx) => {
  const book = useContext(OrderBookToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  return event$.pipe(
    matchEvent(StockReserved, PaymentDeclined, PaymentRefunded),
    act(event => {
      const outcome: OrderOutcome =
        event.type === 'StockReserved' ? 'confirmed' : event.type === 'PaymentDeclined' ? 'cancelled: payment declined' : 'cancelled: out of stock, refunded';
      book.set(event.payload.orderId, outcome);
      timeline.record('order', `${event.payload.orderId} ${outcome}`);
    }),
  );
};

export const orderEffects = [placeOrder$, closeOrder$];
