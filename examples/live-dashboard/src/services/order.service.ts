import { randomUUID } from 'node:crypto';
import { act, eventValidator$, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken, MsgEffect, reply } from '@tributary/messaging';
import { mergeMap } from 'rxjs';
import { OrderAccepted, OrderCreated, PlaceOrder } from '../events';

/** Accepts an order (replying to the caller) and publishes OrderCreated. */
export const placeOrder$: MsgEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(PlaceOrder),
    act(event =>
      eventValidator$(PlaceOrder)(event).pipe(
        mergeMap(async ({ payload }) => {
          const orderId = `o-${randomUUID().slice(0, 6)}`;
          await bus.publish(OrderCreated.create({ orderId, ...payload }, { correlationId: orderId }));
          return reply(event)(OrderAccepted.create({ orderId }));
        }),
      ),
    ),
  );
};
