import { act, matchEvent, useContext } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { CustomerNotified, OutOfStock, PaymentCaptured, PaymentDeclined, StockReserved } from '../events';
import { TimelineToken } from '../timeline';
import { PublisherToken } from './publisher';

const messages: Record<string, (p: any) => string> = {
  PaymentCaptured: p => `we charged ${p.amount} €`,
  PaymentDeclined: p => `your payment was declined: ${p.reason}`,
  StockReserved: () => 'your items are reserved',
  OutOfStock: p => `sorry, "${p.sku}" is out of stock`,
};

export const notifyCustomer$: MsgEffect = (event$, ctx) => {
  const publisher = useContext(PublisherToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  return event$.pipe(
    matchEvent(PaymentCaptured, PaymentDeclined, StockReserved, OutOfStock),
    act(async event => {
      const message = messages[event.type](event.payload);
      timeline.record('notification', `→ ${event.payload.orderId}: ${message}`);
      await publisher.publish(CustomerNotified.create({ orderId: event.payload.orderId, message }));
    }),
  );
};

export const notificationEffects = [notifyCustomer$];
