import { act, DELIVERY_TRACKER, DeliveryTracker, Event } from '@tributary/core';
import { NEVER, Subject } from 'rxjs';

describe('act teardown', () => {
  it('tells the delivery that work stopped when the effect is unsubscribed mid-work', () => {
    const ends: unknown[] = [];
    const tracker: DeliveryTracker = { matched: () => undefined, begin: () => undefined, end: error => ends.push(error) };
    const input = new Subject<Event>();
    const subscription = input.pipe(act(() => NEVER)).subscribe();
    input.next({ type: 'Slow', metadata: { [DELIVERY_TRACKER]: tracker } });
    expect(ends).toEqual([]);
    subscription.unsubscribe();
    expect(ends).toHaveLength(1);
    expect((ends[0] as Error).name).toBe('EffectStoppedError');
  });

  it('does not end work that already finished', () => {
    const ends: unknown[] = [];
    const tracker: DeliveryTracker = { matched: () => undefined, begin: () => undefined, end: error => ends.push(error) };
    const input = new Subject<Event>();
    const subscription = input.pipe(act(e => [e])).subscribe();
    input.next({ type: 'Fast', metadata: { [DELIVERY_TRACKER]: tracker } });
    subscription.unsubscribe();
    expect(ends).toEqual([undefined]);
  });
});
