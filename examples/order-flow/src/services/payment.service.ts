import { act, matchEvent, useContext } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { OrderCreated, PaymentCaptured, PaymentDeclined } from '../events';
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
          ? PaymentCaptured.create({ orderId: payload.orderId, amount: payload.total }, { correlationId: metadata.correlationId })
          : PaymentDeclined.create({ orderId: payload.orderId, reason: `over the ${CARD_LIMIT} € card limit` }, { correlationId: metadata.correlationId });
      timeline.record('payment', `${next.type} ${payload.orderId}`);
      await publisher.publish(next);
    }),
  );
};

export const paymentEffects = [capturePayment$];
