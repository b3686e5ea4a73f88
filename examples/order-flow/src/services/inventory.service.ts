import { act, createContextToken, matchEvent, useContext } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { OutOfStock, PaymentCaptured, StockReserved } from '../events';
import { TimelineToken } from '../timeline';
import { PublisherToken } from './publisher';

/** The stock of the inventory service (one per run). */
export const StockToken = createContextToken<Map<string, number>>('Stock');

export const createStock = (): Map<string, number> =>
  new Map([
    ['book', 10],
    ['lamp', 1],
    ['desk', 0],
  ]);

/** Reserves the stock of a paid order, all lines or none. */
export const reserveStock$: MsgEffect = (event$, ctx) => {
  const publisher = useContext(PublisherToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  const stock = useContext(StockToken)(ctx.ask);
  return event$.pipe(
    matchEvent(PaymentCaptured),
    act(async ({ payload, metadata }) => {
      const missing = payload.lines.find(line => (stock.get(line.sku) ?? 0) < line.qty);
      if (!missing) for (const line of payload.lines) stock.set(line.sku, (stock.get(line.sku) ?? 0) - line.qty);
      const next = missing
        ? OutOfStock.create({ orderId: payload.orderId, sku: missing.sku, amount: payload.amount }, { correlationId: metadata.correlationId })
        : StockReserved.create({ orderId: payload.orderId }, { correlationId: metadata.correlationId });
      timeline.record('inventory', `${next.type} ${payload.orderId}${missing ? ` (${missing.sku})` : ''}`);
      await publisher.publish(next);
    }),
  );
};

export const inventoryEffects = [reserveStock$];
