import * as t from 'io-ts';
import { event } from '@tributary/core';

const Line = t.type({ sku: t.string, qty: t.number });

/** Command (request / reply) to the order service. */
export const PlaceOrder = event('PlaceOrder')(t.type({ customer: t.string, lines: t.array(Line), total: t.number }));
export const OrderAccepted = event('OrderAccepted')(t.type({ orderId: t.string }));

/** Facts, published to whoever subscribes. */
export const OrderCreated = event('OrderCreated')(t.type({ orderId: t.string, customer: t.string, lines: t.array(Line), total: t.number }));
// the saga: OrderCreated → payment captured (or declined: the end) → stock reserved (or out
// of stock → payment refunded, the compensation). Stock is reserved only once paid, and an
// order that cannot be served does not stay charged.
export const PaymentCaptured = event('PaymentCaptured')(t.type({ orderId: t.string, amount: t.number, lines: t.array(Line) }));
export const PaymentDeclined = event('PaymentDeclined')(t.type({ orderId: t.string, reason: t.string }));
export const StockReserved = event('StockReserved')(t.type({ orderId: t.string }));
export const OutOfStock = event('OutOfStock')(t.type({ orderId: t.string, sku: t.string, amount: t.number }));
export const PaymentRefunded = event('PaymentRefunded')(t.type({ orderId: t.string, amount: t.number, reason: t.string }));
export const CustomerNotified = event('CustomerNotified')(t.type({ orderId: t.string, message: t.string }));
