import { createContextToken, createReader } from '@marblejs/core';

export interface StockRepository {
  quantityOf(sku: string): number | undefined;
  take(sku: string, quantity: number): number;
  add(sku: string, quantity: number): number;
}

export const StockRepositoryToken = createContextToken<StockRepository>('StockRepository');

export const StockRepository = createReader<StockRepository>(() => {
  const stock = new Map<string, number>([
    ['lamp', 3],
    ['desk', 1],
  ]);
  return {
    quantityOf: sku => stock.get(sku),
    take: (sku, quantity) => {
      const left = (stock.get(sku) ?? 0) - quantity;
      stock.set(sku, left);
      return left;
    },
    add: (sku, quantity) => {
      const total = (stock.get(sku) ?? 0) + quantity;
      stock.set(sku, total);
      return total;
    },
  };
});
