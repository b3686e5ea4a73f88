import * as t from 'io-ts';
import { event } from '@tributary/core';

const Line = t.type({ sku: t.string, qty: t.number });

/** From the browser: the order form. */
export const SubmitOrder = event('SubmitOrder')(t.type({ customer: t.string, sku: t.string, qty: t.number }));
/** To the browser that submitted it, when the order was refused (its `error` says why). */
export const OrderRejected = 'OrderRejected';

/** Command (request / reply) to the order service, on the bus. */
export const PlaceOrder = event('PlaceOrder')(t.type({ customer: t.string, lines: t.array(Line), total: t.number }));
export const OrderAccepted = event('OrderAccepted')(t.type({ orderId: t.string }));

/** Facts, published on the bus, and forwarded to the browsers that subscribed. */
export const OrderCreated = event('OrderCreated')(t.type({ orderId: t.string, customer: t.string, lines: t.array(Line), total: t.number }));
export const PaymentCaptured = event('PaymentCaptured')(t.type({ orderId: t.string, amount: t.number }));
export const PaymentDeclined = event('PaymentDeclined')(t.type({ orderId: t.string, reason: t.string }));
export const StockReserved = event('StockReserved')(t.type({ orderId: t.string }));
export const OutOfStock = event('OutOfStock')(t.type({ orderId: t.string, sku: t.string }));
export const CustomerNotified = event('CustomerNotified')(t.type({ orderId: t.string, message: t.string }));

/** What the browsers may see: nothing else on the bus leaves the server. */
export const LIVE_EVENT_TYPES = [
  OrderCreated.type,
  PaymentCaptured.type,
  PaymentDeclined.type,
  StockReserved.type,
  OutOfStock.type,
  CustomerNotified.type,
];
