import { act, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken, MsgEffect } from '@tributary/messaging';
import { OrderCreated, OutOfStock, StockReserved } from '../events';

/** Reserves the items of each new order from `stock` (one map per running dashboard). */
export const reserveStock =
  (stock: Map<string, number>): MsgEffect =>
  (event$, ctx) => {
    const bus = useContext(EventBusClientToken)(ctx.ask);
    return event$.pipe(
      matchEvent(OrderCreated),
      act(async ({ payload, metadata }) => {
        const missing = payload.lines.find(line => (stock.get(line.sku) ?? 0) < line.qty);
        if (!missing) for (const line of payload.lines) stock.set(line.sku, (stock.get(line.sku) ?? 0) - line.qty);
        await bus.publish(
          missing
            ? OutOfStock.create({ orderId: payload.orderId, sku: missing.sku }, { correlationId: metadata.correlationId })
            : StockReserved.create({ orderId: payload.orderId }, { correlationId: metadata.correlationId }),
        );
      }),
    );
  };
