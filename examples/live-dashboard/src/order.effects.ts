import { act, encodeError, eventValidator$, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken } from '@tributary/messaging';
import type { WsEffect } from '@tributary/websockets';
import { map, mergeMap } from 'rxjs';
import { CATALOG } from './catalog';
import { OrderRejected, PlaceOrder, SubmitOrder } from './events';

/** The order form was filled in wrongly; the page shows the message. */
export class InvalidOrderError extends Error {
  override readonly name = 'InvalidOrderError';
}

const MAX_QTY = 99;

/** The browser's form → the bus command, priced by the server. */
export const toPlaceOrder = ({ customer, sku, qty }: { customer: string; sku: string; qty: number }) => {
  const name = customer.trim();
  if (name.length === 0 || name.length > 40) throw new InvalidOrderError('Enter a customer name (1 to 40 characters).');
  const item = CATALOG[sku];
  if (!item) throw new InvalidOrderError(`Unknown article "${sku}": choose one of ${Object.keys(CATALOG).join(', ')}.`);
  if (!Number.isInteger(qty) || qty < 1 || qty > MAX_QTY) throw new InvalidOrderError(`Quantity must be a whole number from 1 to ${MAX_QTY}.`);
  return PlaceOrder.create({ customer: name, lines: [{ sku, qty }], total: item.price * qty });
};

/**
 * A browser submits the order form over the WebSocket: the order goes to the order service
 * on the bus as a PlaceOrder command; the sender gets OrderAccepted (or OrderRejected) back,
 * and every subscribed browser sees the events that follow through the bridge.
 */
export const submitOrder$: WsEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(SubmitOrder),
    act(
      event =>
        eventValidator$(SubmitOrder)(event).pipe(
          map(({ payload }) => toPlaceOrder(payload)),
          mergeMap(command => bus.send<{ type: 'OrderAccepted'; payload: { orderId: string } }>(command)),
          map(accepted => ({ type: accepted.type, payload: accepted.payload, metadata: event.metadata })),
        ),
      (error, event) => ({ type: OrderRejected, error: encodeError(error), metadata: event.metadata }),
    ),
  );
};
