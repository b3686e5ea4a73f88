import { act, matchEvent, useContext } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { CustomerNotified, PaymentDeclined, PaymentRefunded, StockReserved } from '../events';
import { TimelineToken } from '../timeline';
import { PublisherToken } from './publisher';

const messages: Record<string, (p: any) => string> = {
  StockReserved: () => 'your order is confirmed: paid, and your items are reserved',
  PaymentDeclined: p => `your order is cancelled: your payment was declined (${p.reason})`,
  PaymentRefunded: p => `your order is cancelled: ${p.reason}; we refunded ${p.amount} €`,
};

/** One message per order, once its outcome is known. */
export const notifyCustomer$: MsgEffect = (event$, ctx) => {
  const publisher = useContext(PublisherToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  return event$.pipe(
    matchEvent(StockReserved, PaymentDeclined, PaymentRefunded),
    act(async event => {
      const message = messages[event.type](event.payload);
      timeline.record('notification', `→ ${event.payload.orderId}: ${message}`);
      await publisher.publish(CustomerNotified.create({ orderId: event.payload.orderId, message }));
    }),
  );
};

export const notificationEffects = [notifyCustomer$];
