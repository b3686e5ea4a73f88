import * as t from 'io-ts';
import { event } from '@tributary/core';

const isIndex = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0;

/** A Fibonacci index: an integer ≥ 0. Failures name it `NonNegativeInteger`. */
export const FibIndex = new t.Type<number, number, unknown>(
  'NonNegativeInteger',
  isIndex,
  (u, c) => (isIndex(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** The request: "what is F(n)?" */
export const Fib = event('Fib')(t.type({ n: FibIndex }));

/** The reply. `value` is a decimal string: F(n) outgrows a JavaScript number from n = 79. */
export const FibResult = event('FibResult')(t.type({ n: t.number, value: t.string }));

/** The largest `n` the service computes; above it the request is refused with an error reply. */
export const MAX_N = 10_000;
