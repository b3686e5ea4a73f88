import { act, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken, MsgEffect } from '@tributary/messaging';
import { CARD_LIMIT } from '../catalog';
import { OrderCreated, PaymentCaptured, PaymentDeclined } from '../events';

/** Charges the card of each new order, up to the card limit. */
export const capturePayment$: MsgEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(OrderCreated),
    act(async ({ payload, metadata }) => {
      const next =
        payload.total <= CARD_LIMIT
          ? PaymentCaptured.create({ orderId: payload.orderId, amount: payload.total }, { correlationId: metadata.correlationId })
          : PaymentDeclined.create({ orderId: payload.orderId, reason: `over the ${CARD_LIMIT} € card limit` }, { correlationId: metadata.correlationId });
      await bus.publish(next);
    }),
  );
};
