import { act, matchEvent } from '@tributary/core';
import type { ConformanceKit } from './internal/ConformanceKit';

const RETRY = { maxAttempts: 3, initialDelay: 150, factor: 2, maxDelay: 2_000 };

/** A thrown error retries with backoff up to maxAttempts, then dead-letters with the error. */
export const retryCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('retry: a failing event is delivered again with a growing delay, counting attempts, until it succeeds', ['retryBackoff'], async c => {
    const channel = c.channel('retry');
    const attempts: Array<[attempt: unknown, at: number]> = [];
    await c.service(
      channel,
      {
        effects: [
          e$ =>
            e$.pipe(
              matchEvent('Charge'),
              act(e => {
                attempts.push([e.metadata?.attempt, Date.now()]);
                if (attempts.length < 3) throw new Error('gateway down');
              }),
            ),
        ],
      },
      { extra: { retry: RETRY } },
    );
    const client = await c.client(channel);
    await client.emit({ type: 'Charge', payload: 1 });
    await c.waitFor(() => attempts.length === 3, 'three attempts', () => attempts);
    expect(attempts.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
    const [first, second] = [attempts[1][1] - attempts[0][1], attempts[2][1] - attempts[1][1]];
    // initialDelay, then initialDelay × factor (timers fire late, never early; allow 10 ms of clock skew)
    expect(first).toBeGreaterThanOrEqual(RETRY.initialDelay - 10);
    expect(second).toBeGreaterThanOrEqual(RETRY.initialDelay * RETRY.factor - 10);
    expect(await c.deadLetters(channel)).toEqual([]);
  });

  kit.test('retry: after maxAttempts the message is dead-lettered with the error name, message, attempts and original headers', [], async c => {
    const channel = c.channel('dead-letter');
    let calls = 0;
    await c.service(
      channel,
      {
        effects: [
          e$ =>
            e$.pipe(
              matchEvent('Charge'),
              act(() => {
                calls++;
                throw new TypeError('card expired');
              }),
            ),
        ],
      },
      { extra: { retry: { ...RETRY, initialDelay: 20 } } },
    );
    const client = await c.client(channel);
    await client.emit({ type: 'Charge', payload: { card: 'x' }, metadata: { headers: { tenant: 'acme', 'trace-id': 't-1' } } });
    const [letter, ...more] = await c.deadLettersOf(channel, 1);
    expect(more).toEqual([]);
    expect(calls).toBe(RETRY.maxAttempts);
    expect(letter).toMatchObject({
      type: 'Charge',
      reason: 'failed',
      errorName: 'TypeError',
      errorMessage: 'card expired',
      attempts: RETRY.maxAttempts,
    });
    expect(letter.headers).toEqual({ tenant: 'acme', 'trace-id': 't-1' });
  });
};
