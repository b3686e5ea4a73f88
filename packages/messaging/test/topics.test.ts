import { DEFAULT_RETRY_OPTIONS, TimeoutError } from '@tributary/messaging';
import { matchTopic, retryDelay, reconnectDelay, PendingReplies } from '@tributary/messaging/transport';

describe('matchTopic', () => {
  it.each([
    ['OrderCreated', 'OrderCreated', true],
    ['OrderCreated', 'OrderCancelled', false],
    ['payment.*', 'payment.captured', true],
    ['payment.*', 'payment.card.declined', false],
    ['payment.#', 'payment.card.declined', true],
    ['payment.#', 'payment', true],
    ['*.created', 'order.created', true],
    ['#', 'a.b.c', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c.y', false],
  ])('%s matches %s: %s', (pattern, topic, expected) => {
    expect(matchTopic(pattern, topic)).toBe(expected);
  });
});

describe('backoff', () => {
  it('doubles from initialDelay and caps at maxDelay', () => {
    const options = { ...DEFAULT_RETRY_OPTIONS, initialDelay: 100, maxDelay: 1000 };
    expect([1, 2, 3, 4, 5, 6].map(a => retryDelay(options, a))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('reconnect delays are jittered within [ceiling/2, ceiling]', () => {
    for (let i = 0; i < 50; i++) {
      const d = reconnectDelay(4, { initialDelay: 100, maxDelay: 500 });
      expect(d).toBeGreaterThanOrEqual(250);
      expect(d).toBeLessThanOrEqual(500);
    }
  });
});

describe('PendingReplies', () => {
  it('settles a call by correlation id and leaves no timer behind', async () => {
    const pending = new PendingReplies('svc');
    const reply = pending.register('c1', 'Get', 1000);
    expect(pending.size).toBe(1);
    expect(pending.resolve('c1', { data: 'ok' })).toBe(true);
    await expect(reply).resolves.toEqual({ data: 'ok' });
    expect(pending.size).toBe(0);
    expect(pending.resolve('c1', { data: 'late' })).toBe(false);
  });

  it('rejects with TimeoutError after the timeout and with ConnectionClosedError on rejectAll', async () => {
    const pending = new PendingReplies('svc');
    await expect(pending.register('c2', 'Get', 10)).rejects.toBeInstanceOf(TimeoutError);
    const open = pending.register('c3', 'Get', 10_000);
    pending.rejectAll();
    await expect(open).rejects.toMatchObject({ name: 'ConnectionClosedError' });
    expect(pending.size).toBe(0);
  });
});
