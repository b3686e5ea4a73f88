import { act, matchEvent, useContext } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { OrderCreated, OutOfStock, PaymentCaptured, PaymentDeclined, PaymentRefunded } from '../events';
import { TimelineToken } from '../timeline';
import { PublisherToken } from './publisher';

/** Orders over this amount are declined by the (pretend) card gateway. */
export const CARD_LIMIT = 1000;

export const capturePayment$: MsgEffect = (event$, ctx) => {
  const publisher = useContext(PublisherToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  return event$.pipe(
    matchEvent(OrderCreated),
    act(async ({ payload, metadata }) => {
      const next =
        payload.total <= CARD_LIMIT
          ? PaymentCaptured.create({ orderId: payload.orderId, amount: payload.total, lines: payload.lines }, { correlationId: metadata.correlationId })
          : PaymentDeclined.create({ orderId: payload.orderId, reason: `over the ${CARD_LIMIT} € card limit` }, { correlationId: metadata.correlationId });
      timeline.record('payment', `${next.type} ${payload.orderId}`);
      await publisher.publish(next);
    }),
  );
};

/** The compensation: an order that cannot be served is refunded. */
export const refundPayment$: MsgEffect = (event$, ctx) => {
  const publisher = useContext(PublisherToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  return event$.pipe(
    matchEvent(OutOfStock),
    act(async ({ payload, metadata }) => {
      timeline.record('payment', `PaymentRefunded ${payload.orderId} (${payload.amount} €)`);
      await publisher.publish(
        PaymentRefunded.create({ orderId: payload.orderId, amount: payload.amount, reason: `"${payload.sku}" is out of stock` }, { correlationId: metadata.correlationId }),
      );
    }),
  );
};

export const paymentEffects = [capturePayment$, refundPayment$];
