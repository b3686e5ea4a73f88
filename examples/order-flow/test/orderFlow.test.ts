import { runOrderFlow } from '../src/app';

describe('order flow on the in-process bus', () => {
  it('accepts three orders and notifies each customer of payment and stock', async () => {
    const { timeline, accepted } = await runOrderFlow('local', false);
    expect(accepted).toHaveLength(3);
    const notes = timeline.entries.filter(e => e.service === 'notification').map(e => e.what);
    expect(notes).toHaveLength(6);
    const [ada, grace, linus] = accepted;
    expect(notes).toEqual(
      expect.arrayContaining([
        `→ ${ada}: we charged 40 €`,
        `→ ${ada}: your items are reserved`,
        `→ ${grace}: sorry, "desk" is out of stock`,
        `→ ${linus}: your payment was declined: over the 1000 € card limit`,
      ]),
    );
    // payment and inventory each reacted once to each OrderCreated
    expect(timeline.entries.filter(e => e.service === 'payment')).toHaveLength(3);
    expect(timeline.entries.filter(e => e.service === 'inventory')).toHaveLength(3);
  });
});
