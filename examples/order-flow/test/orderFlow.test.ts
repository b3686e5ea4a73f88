import { runOrderFlow } from '../src/app';

describe('order flow on the in-process bus', () => {
  it('confirms, declines or refunds each order, and notifies each customer once', async () => {
    const { timeline, accepted, outcomes } = await runOrderFlow('local', false);
    expect(accepted).toHaveLength(3);
    const [ada, grace, linus] = accepted;
    expect(Object.fromEntries(outcomes)).toEqual({
      [ada]: 'confirmed',
      [grace]: 'cancelled: out of stock, refunded',
      [linus]: 'cancelled: payment declined',
    });
    const notes = timeline.entries.filter(e => e.service === 'notification').map(e => e.what);
    expect(notes.sort()).toEqual(
      [
        `→ ${ada}: your order is confirmed: paid, and your items are reserved`,
        `→ ${grace}: your order is cancelled: "desk" is out of stock; we refunded 390 €`,
        `→ ${linus}: your order is cancelled: your payment was declined (over the 1000 € card limit)`,
      ].sort(),
    );
    const inventory = timeline.entries.filter(e => e.service === 'inventory').map(e => e.what);
    // a declined payment reserves nothing: inventory only saw the two paid orders
    expect(inventory.sort()).toEqual([`OutOfStock ${grace} (desk)`, `StockReserved ${ada}`].sort());
    // the out-of-stock order was charged, then refunded
    const payment = timeline.entries.filter(e => e.service === 'payment').map(e => e.what);
    expect(payment.sort()).toEqual([`PaymentCaptured ${ada}`, `PaymentCaptured ${grace}`, `PaymentDeclined ${linus}`, `PaymentRefunded ${grace} (390 €)`].sort());
  });
});
