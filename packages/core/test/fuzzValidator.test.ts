/**
 * Fuzzed validation (issue 19, item 6): the io-ts codecs of `event()` and `eventValidator$`
 * answer any decoded body with the event or a validation error, synchronously, in bounded
 * time, without a stray throw and without touching `Object.prototype`.
 */
import fc from 'fast-check';
import * as t from 'io-ts';
import { event, Event, eventValidator$ } from '@tributary/core';
import { EventError } from '../src/error/EventError';
import { UnsupportedVersionError } from '../src/error/UnsupportedVersionError';

const OrderPlaced = event('OrderPlaced')(t.type({ orderId: t.string, lines: t.array(t.type({ sku: t.string, qty: t.number })) }));
const OrderPlacedV2 = event('OrderPlaced')(t.type({ orderId: t.string })).evolve(t.type({ orderId: t.string, currency: t.string }), v1 => ({ ...v1, currency: 'EUR' }));
const KNOWN_ERRORS = [EventError, UnsupportedVersionError];

const DEPTH = 100_000;
const deep = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));
const parsed = (text: string): unknown => JSON.parse(text);

/** Runs the validator synchronously: 'ok', or the error it reports (a thrown error fails the test). */
const validate = (codec: t.Any, input: Event): 'ok' | Error => {
  const started = performance.now();
  let outcome: 'ok' | Error | undefined;
  eventValidator$(codec)(input).subscribe({ next: () => (outcome = 'ok'), error: (error: Error) => (outcome = error) });
  expect(performance.now() - started).toBeLessThan(1000);
  expect(outcome).toBeDefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return outcome!;
};

const expectValidationOutcome = (outcome: 'ok' | Error): void => {
  if (outcome !== 'ok') expect(KNOWN_ERRORS.some(kind => outcome instanceof kind)).toBe(true);
};

describe('eventValidator$ under fuzzed input', () => {
  const metadata = fc.option(fc.record({ version: fc.jsonValue({ maxDepth: 2 }), id: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), { nil: undefined });

  it.each([
    ['whole event codec', OrderPlaced],
    ['versioned codec', OrderPlacedV2],
    ['payload codec', t.type({ orderId: t.string })],
  ])('%s: any payload and metadata give the event or a validation error', (_, codec) => {
    fc.assert(
      fc.property(fc.constantFrom('OrderPlaced', 'Other', ''), fc.jsonValue({ maxDepth: 5 }), metadata, (type, payload, meta) => {
        expectValidationOutcome(validate(codec, { type, payload, metadata: meta as Event['metadata'] }));
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['deep payload', { type: 'OrderPlaced', payload: deep(DEPTH) }],
    ['deep lines', { type: 'OrderPlaced', payload: { orderId: 'o', lines: deep(DEPTH) } }],
    ['deep version', { type: 'OrderPlaced', payload: { orderId: 'o' }, metadata: { version: deep(DEPTH) } }],
    ['huge version', { type: 'OrderPlaced', payload: { orderId: 'o' }, metadata: { version: 1e308 } }],
    ['infinite version', { type: 'OrderPlaced', payload: { orderId: 'o' }, metadata: { version: parsed('1e999999') } }],
    ['proto payload', { type: 'OrderPlaced', payload: parsed('{"__proto__":{"polluted":1,"orderId":"x","lines":[]}}') }],
    ['constructor payload', { type: 'OrderPlaced', payload: parsed('{"orderId":"x","lines":[],"constructor":{"prototype":{"polluted":1}}}') }],
    ['proto line', { type: 'OrderPlaced', payload: parsed('{"orderId":"x","lines":[{"__proto__":{"sku":"s","qty":1,"polluted":1}}]}') }],
  ])('%s: validated or rejected, never a crash', (_, input) => {
    for (const codec of [OrderPlaced, OrderPlacedV2]) {
      const outcome = validate(codec, input as Event);
      expectValidationOutcome(outcome);
    }
  });

  it('inherited fields from a "__proto__" key do not pass validation', () => {
    const outcome = validate(OrderPlaced, { type: 'OrderPlaced', payload: parsed('{"__proto__":{"orderId":"x","lines":[]}}') } as Event);
    expect(outcome).toBeInstanceOf(EventError);
  });
});
