import { Deadline, Deadlines } from '../src/internal/Deadlines';

/** A command's deadline that records whether it expired. */
const command = (deadline: number): Deadline & { expired: boolean } => {
  const entry = {
    deadline,
    done: false,
    expired: false,
    expire: () => {
      entry.expired = true;
    },
  };
  return entry;
};

describe('Deadlines (one sweep timer for the commands of a connection)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  test('a command still waiting at its deadline expires; one answered before does not', () => {
    const deadlines = new Deadlines(25);
    const answered = command(Date.now() + 100);
    const waiting = command(Date.now() + 100);
    deadlines.add(answered);
    deadlines.add(waiting);
    answered.done = true;
    jest.advanceTimersByTime(75);
    expect([answered.expired, waiting.expired]).toEqual([false, false]);
    jest.advanceTimersByTime(50);
    expect([answered.expired, waiting.expired]).toEqual([false, true]);
    expect(deadlines.size).toBe(0);
  });

  test('deadlines out of order (connections with other timeouts) each expire at their own', () => {
    const deadlines = new Deadlines(10);
    const late = command(Date.now() + 200);
    const early = command(Date.now() + 50);
    deadlines.add(late);
    deadlines.add(early);
    jest.advanceTimersByTime(60);
    expect([late.expired, early.expired]).toEqual([false, true]);
    jest.advanceTimersByTime(150);
    expect([late.expired, early.expired]).toEqual([true, true]);
  });

  test('answered commands are dropped as new ones come, so the list stays as long as what waits', () => {
    const deadlines = new Deadlines(1000);
    for (let i = 0; i < 10_000; i++) {
      const entry = command(Date.now() + 5000);
      deadlines.add(entry);
      entry.done = true;
    }
    const last = command(Date.now() + 5000);
    deadlines.add(last);
    expect(deadlines.size).toBe(1);
    expect((deadlines as unknown as { entries: unknown[]; head: number }).entries.length - (deadlines as unknown as { head: number }).head).toBe(1);
  });

  test('the timer runs only while commands wait, and an expired command expires once', () => {
    const deadlines = new Deadlines(10);
    const entry = command(Date.now() + 5);
    let expiries = 0;
    deadlines.add({ ...entry, expire: () => expiries++ });
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(30);
    expect(expiries).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
