import { trace } from '@opentelemetry/api';
import { act, bindTo, createLogger, LoggerToken, matchEvent } from '@tributary/core';
import { createMicroservice, LocalBroker, messagingListener, MessagingClient, MicroserviceConnection, MsgEffect, Transport } from '@tributary/messaging';

const tracer = trace.getTracer('traced-orders');

/** A span of the application's own work (its parent is the handler's CONSUMER span). */
const work = async (name: string, ms: number): Promise<void> =>
  tracer.startActiveSpan(name, async span => {
    await new Promise(resolve => setTimeout(resolve, ms));
    span.end();
  });

/** The three services and a client that places orders, on one in-process broker. */
export interface Shop {
  placeOrder(order: { id: string; amount: number }): Promise<void>;
  /** Resolves once the order was shipped. */
  shipped(id: string): Promise<void>;
  close(): Promise<void>;
}

export const startShop = async (): Promise<Shop> => {
  const broker = new LocalBroker();
  const client = (channel: string) => MessagingClient({ transport: Transport.LOCAL, options: { channel, broker } })(undefined as never);
  const shipments = new Map<string, () => void>();
  const waiting = new Map<string, Promise<void>>();
  const shipping = await client('shipping');

  // orders: validates, then publishes OrderPlaced to whoever subscribes
  const orders = await client('orders');
  const placeOrder$: MsgEffect = e$ =>
    e$.pipe(
      matchEvent('PlaceOrder'),
      act(async e => {
        await work('validate order', 2);
        await orders.publish({ type: 'OrderPlaced', payload: e.payload, metadata: e.metadata });
      }),
    );
  // payments: charges the card, then asks shipping to ship
  const orderPlaced$: MsgEffect = e$ =>
    e$.pipe(
      matchEvent('OrderPlaced'),
      act(async e => {
        await work('charge card', 3);
        await shipping.emit({ type: 'ShipOrder', payload: e.payload, metadata: e.metadata });
      }),
    );
  // shipping: books a courier
  const shipOrder$: MsgEffect = e$ =>
    e$.pipe(
      matchEvent('ShipOrder'),
      act(async e => {
        await work('book courier', 1);
        shipments.get((e.payload as { id: string }).id)?.();
      }),
    );

  const start = async (channel: string, effects: MsgEffect[], subscribe: string[] = []): Promise<MicroserviceConnection> =>
    (
      await createMicroservice({
        transport: Transport.LOCAL,
        options: { channel, broker, subscribe },
        listener: messagingListener({ effects }),
        // the trace tree is the output: Tributary's own lines only from warnings up
        dependencies: [bindTo(LoggerToken)(() => createLogger({ level: 'warn' }))],
      })
    )();
  const services = [await start('orders', [placeOrder$]), await start('payments', [orderPlaced$], ['OrderPlaced']), await start('shipping', [shipOrder$])];

  return {
    placeOrder: order => {
      waiting.set(order.id, new Promise(resolve => shipments.set(order.id, resolve)));
      return orders.emit({ type: 'PlaceOrder', payload: order, metadata: { correlationId: order.id } });
    },
    shipped: id => waiting.get(id) ?? Promise.reject(new Error(`no order ${id}`)),
    close: async () => {
      for (const service of services) await service.close();
      await Promise.all([orders.close(), shipping.close()]);
    },
  };
};
