import { act, matchEvent, useContext } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { OrderCreated, OutOfStock, StockReserved } from '../events';
import { TimelineToken } from '../timeline';
import { PublisherToken } from './publisher';

const stock = new Map<string, number>([
  ['book', 10],
  ['lamp', 1],
  ['desk', 0],
]);

export const reserveStock$: MsgEffect = (event$, ctx) => {
  const publisher = useContext(PublisherToken)(ctx.ask);
  const timeline = useContext(TimelineToken)(ctx.ask);
  return event$.pipe(
    matchEvent(OrderCreated),
    act(async ({ payload, metadata }) => {
      const missing = payload.lines.find(line => (stock.get(line.sku) ?? 0) < line.qty);
      if (!missing) for (const line of payload.lines) stock.set(line.sku, (stock.get(line.sku) ?? 0) - line.qty);
      const next = missing
        ? OutOfStock.create({ orderId: payload.orderId, sku: missing.sku }, { correlationId: metadata.correlationId })
        : StockReserved.create({ orderId: payload.orderId }, { correlationId: metadata.correlationId });
      timeline.record('inventory', `${next.type} ${payload.orderId}${missing ? ` (${missing.sku})` : ''}`);
      await publisher.publish(next);
    }),
  );
};

export const inventoryEffects = [reserveStock$];
