import { act, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken, MsgEffect } from '@tributary/messaging';
import { CustomerNotified, OutOfStock, PaymentCaptured, PaymentDeclined, StockReserved } from '../events';

const messages: Record<string, (p: any) => string> = {
  PaymentCaptured: p => `we charged ${p.amount} €`,
  PaymentDeclined: p => `your payment was declined: ${p.reason}`,
  StockReserved: () => 'your items are reserved',
  OutOfStock: p => `sorry, "${p.sku}" is out of stock`,
};

/** Tells the customer about each payment and stock outcome. */
export const notifyCustomer$: MsgEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(PaymentCaptured, PaymentDeclined, StockReserved, OutOfStock),
    act(async event => {
      const message = messages[event.type](event.payload);
      await bus.publish(CustomerNotified.create({ orderId: event.payload.orderId, message }, { correlationId: event.metadata.correlationId }));
    }),
  );
};

/**
 * Where a notification's way on the bus ends: the browsers get it through the WebSocket
 * bridge (app.ts), so there is nothing more to do. Handling it says so to the bus, which
 * otherwise dead-letters a published event that no effect takes (reason `unhandled`).
 */
export const notificationDelivered$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent(CustomerNotified),
    act(() => undefined),
  );
