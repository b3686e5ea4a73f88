/** Prices in €, decided by the server (the page never sends a price). */
export const CATALOG: Readonly<Record<string, { name: string; price: number }>> = {
  book: { name: 'Book', price: 20 },
  lamp: { name: 'Lamp', price: 90 },
  desk: { name: 'Desk', price: 300 },
};

/** Orders over this amount are declined by the (pretend) card gateway. */
export const CARD_LIMIT = 1000;

/** Initial stock of each run of the dashboard. */
export const initialStock = (): Map<string, number> =>
  new Map([
    ['book', 50],
    ['lamp', 5],
    ['desk', 0],
  ]);
