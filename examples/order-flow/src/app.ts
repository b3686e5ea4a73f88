import { bindEagerlyTo, bindTo, contextFactory, createLogger, LoggerToken, lookup, useContext } from '@tributary/core';
import { createMicroservice, MessagingClient, messagingListener, MicroserviceConnection, MsgEffect } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { PlaceOrder } from './events';
import { createStock, inventoryEffects, StockToken } from './services/inventory.service';
import { notificationEffects } from './services/notification.service';
import { OrderBookToken, orderEffects, OrderOutcome } from './services/order.service';
import { paymentEffects } from './services/payment.service';
import { PublisherToken } from './services/publisher';
import { createTimeline, Timeline, TimelineToken } from './timeline';
import { createWiring, TransportName } from './wiring';

export interface OrderFlowResult {
  timeline: Timeline;
  accepted: string[];
  /** how each accepted order ended */
  outcomes: Map<string, OrderOutcome>;
}

const services: Array<{ name: string; effects: MsgEffect<any, any>[]; subscribe: string[] }> = [
  { name: 'orders', effects: orderEffects, subscribe: ['StockReserved', 'PaymentDeclined', 'PaymentRefunded'] },
  { name: 'payments', effects: paymentEffects, subscribe: ['OrderCreated', 'OutOfStock'] },
  { name: 'inventory', effects: inventoryEffects, subscribe: ['PaymentCaptured'] },
  { name: 'notifications', effects: notificationEffects, subscribe: ['StockReserved', 'PaymentDeclined', 'PaymentRefunded'] },
];

const orders = [
  PlaceOrder.create({ customer: 'ada', lines: [{ sku: 'book', qty: 2 }], total: 40 }),
  PlaceOrder.create({ customer: 'grace', lines: [{ sku: 'lamp', qty: 1 }, { sku: 'desk', qty: 1 }], total: 390 }),
  PlaceOrder.create({ customer: 'linus', lines: [{ sku: 'book', qty: 1 }], total: 1200 }),
];

/**
 * Starts the four services, places three orders through the order service, waits until
 * every order has its outcome and its customer was notified, and shuts everything down
 * (draining).
 */
export const runOrderFlow = async (transportName: TransportName = 'local', print = true, prefix?: string): Promise<OrderFlowResult> => {
  const wiring = createWiring(transportName, prefix);
  const timeline = createTimeline(print);
  const outcomes = new Map<string, OrderOutcome>();
  const stock = createStock();
  const connections: MicroserviceConnection[] = [];
  const publishers: MessagingClient[] = [];
  try {
    for (const service of services) {
      const microservice = await createMicroservice({
        transport: wiring.transport,
        options: wiring.service(service.name, service.subscribe),
        listener: messagingListener({ effects: service.effects }),
        dependencies: [
          bindTo(LoggerToken)(() => createLogger({ level: 'warn' })),
          bindTo(TimelineToken)(timeline),
          bindTo(OrderBookToken)(outcomes),
          bindTo(StockToken)(stock),
          bindEagerlyTo(PublisherToken)(MessagingClient({ transport: wiring.transport, options: wiring.client(service.name) })),
        ],
      });
      connections.push(await microservice());
      publishers.push(useContext(PublisherToken)(lookup(microservice.context)));
    }
    const customerFacing = await MessagingClient({ transport: wiring.transport, options: wiring.client('orders') })(await contextFactory());
    publishers.push(customerFacing);
    const accepted: string[] = [];
    for (const order of orders) {
      const reply = await firstValueFrom(customerFacing.send<{ type: string; payload: { orderId: string } }>(order));
      accepted.push(reply.payload.orderId);
    }
    // each order ends with an outcome and one notification
    const done = () => accepted.every(id => outcomes.has(id)) && timeline.entries.filter(e => e.service === 'notification').length >= orders.length;
    const deadline = Date.now() + 15_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('The order flow did not complete within 15 s');
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    return { timeline, accepted, outcomes };
  } finally {
    // services first (they drain, and may still publish), then the clients they published with
    await Promise.all(connections.map(c => c.close({ drainTimeout: 2000 })));
    await Promise.all(publishers.map(p => p.close()));
  }
};
