import { createEvent, EventsUnion } from '@marblejs/core';

export const StockEvents = {
  getStock: createEvent('GET_STOCK', (sku: string) => ({ sku })),
  stock: createEvent('STOCK', (sku: string, quantity: number) => ({ sku, quantity })),
  reserve: createEvent('RESERVE', (sku: string, quantity: number) => ({ sku, quantity })),
  reserved: createEvent('RESERVED', (sku: string, quantity: number, left: number) => ({ sku, quantity, left })),
  restock: createEvent('RESTOCK', (sku: string, quantity: number) => ({ sku, quantity })),
};

export type StockEvent = EventsUnion<typeof StockEvents>;
