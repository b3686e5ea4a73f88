import { assertEffect } from '@tributary/testing';
import { Fib, FibResult } from '../src/events';
import { fib$ } from '../src/fib.effect';
import { fib } from '../src/fib';

// as a caller's request arrives: with where to reply
const metadata = { replyTo: 'caller', correlationId: 'c-1' };

describe('fib$ (marbles)', () => {
  it('replies to each Fib with its FibResult, and ignores other events', () => {
    assertEffect(
      fib$,
      ['-a-x-b-', { a: { ...Fib.create({ n: 10 }), metadata }, x: { type: 'Other' }, b: { ...Fib.create({ n: 0 }), metadata } }],
      ['-r---s-', { r: { ...FibResult.create({ n: 10, value: '55' }), metadata }, s: { ...FibResult.create({ n: 0, value: '0' }), metadata } }],
    );
  });

  it('turns a request failing validation into an error event naming the field, and goes on', () => {
    assertEffect(
      fib$,
      ['-a-b-', { a: { type: 'Fib', payload: { n: -3 }, metadata }, b: { ...Fib.create({ n: 1 }), metadata } }],
      [
        '-e-r-',
        {
          e: {
            type: 'Fib_UNHANDLED_ERROR',
            error: {
              name: 'EventError',
              message: 'Event "Fib" failed validation: payload.n: expected NonNegativeInteger, received -3',
              data: [{ path: 'payload.n', expected: 'NonNegativeInteger', received: -3 }],
            },
            metadata,
          },
          r: { ...FibResult.create({ n: 1, value: '1' }), metadata },
        },
      ],
    );
  });

  it('refuses n above the limit with an EventError carrying { n, max }', () => {
    assertEffect(
      fib$,
      ['a', { a: { ...Fib.create({ n: 10_001 }), metadata } }],
      ['e', { e: { type: 'Fib_UNHANDLED_ERROR', error: { name: 'EventError', message: expect.stringContaining('at most 10000'), data: { n: 10_001, max: 10_000 } }, metadata } }],
    );
  });
});

describe('fib', () => {
  it('computes exact values', () => {
    expect([0, 1, 2, 3, 10, 20].map(n => fib(n))).toEqual([0n, 1n, 1n, 2n, 55n, 6765n]);
    expect(fib(100).toString()).toBe('354224848179261915075');
  });
});
