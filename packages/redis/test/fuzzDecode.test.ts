/**
 * Fuzzed decoding on the Redis wires (issue 19, item 6): any stream entry (random field lists,
 * odd lengths, hostile names and values) and any pub/sub payload maps to an event or a
 * `malformed` dead letter, without a throw, in bounded time, without prototype pollution.
 */
import fc from 'fast-check';
import { jsonTransformer } from '@tributary/messaging/transport';
// the messaging layer's guard exactly as the delivery machine calls it: a test-only reach into
// its internals (no public API decodes a transport message without a running service)
// eslint-disable-next-line no-restricted-imports
import { decodeIncoming } from '../../messaging/src/internal/decodeIncoming';
import { hostileBodies, notPolluted } from '../../messaging/test/fixtures/hostileInputs';
import { readReplyRouting } from '../src/internal/envelope';
import { fromEntryFields } from '../src/internal/streams/entryFields';
import { toStreamMessage } from '../src/internal/streams/streamMessage';

const name = fc.oneof(fc.constantFrom('data', 'type', 'id', 'correlationId', 'replyTo', 'attempt', '__proto__', 'constructor', 'prototype'), fc.string());
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 128 }).map(b => Buffer.from(b)),
  fc.jsonValue({ maxDepth: 3 }).map(v => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.constantFrom('1e999999', '-1', '0', 'NaN', '99999999999999999999', '').map(s => Buffer.from(s)),
);
const flatFields = fc.array(fc.oneof(name.map(n => Buffer.from(n)), bytes), { maxLength: 12 });

const guard = (data: Buffer | undefined, flat: Buffer[], deliveries: number) => {
  const started = performance.now();
  const fields = fromEntryFields(data ? [Buffer.from('data'), data, ...flat] : flat);
  const message = toStreamMessage({ stream: 's', id: '1-0', fields }, deliveries);
  const incoming = decodeIncoming(message, { channel: 'fuzz', wire: 'envelope', transformer: jsonTransformer, maxAttempts: 5 });
  expect(performance.now() - started).toBeLessThan(1000);
  if (incoming.ok) {
    expect(Object.getPrototypeOf(incoming.event.metadata)).toBe(Object.prototype);
    expect(Number.isSafeInteger(incoming.event.metadata?.attempt)).toBe(true);
  } else expect(['malformed', 'failed']).toContain(incoming.deadLetter.reason);
  notPolluted();
  return incoming;
};

describe('Redis entry mapping under fuzzed input', () => {
  it('random field lists (odd lengths, hostile names): an event or a dead letter, never a throw', () => {
    fc.assert(
      fc.property(flatFields, fc.integer({ min: 1, max: 1000 }), (flat, deliveries) => {
        guard(undefined, flat, deliveries);
      }),
      { numRuns: 1000 },
    );
  });

  it('random envelopes with random routing fields', () => {
    fc.assert(
      fc.property(bytes, flatFields, (data, flat) => {
        guard(data, flat, 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('hostile envelopes: malformed ones are dead-lettered as malformed, the others decode soundly', () => {
    for (const [label, body] of hostileBodies()) {
      const incoming = guard(body.bytes, [Buffer.from('id'), Buffer.from('m-1')], 1);
      if (body.malformed) expect({ label, reason: incoming.ok ? 'accepted' : incoming.deadLetter.reason }).toEqual({ label, reason: 'malformed' });
    }
  });

  it('an entry without data (a foreign producer) is malformed', () => {
    const incoming = guard(undefined, [Buffer.from('type'), Buffer.from('Ping')], 1);
    expect(incoming.ok ? 'accepted' : incoming.deadLetter.reason).toBe('malformed');
  });

  it('reply routing is read from any pub/sub payload without a throw', () => {
    fc.assert(
      fc.property(bytes, data => {
        const routing = readReplyRouting(data);
        for (const value of Object.values(routing)) expect(['string', 'undefined']).toContain(typeof value);
        notPolluted();
      }),
      { numRuns: 500 },
    );
    for (const [, body] of hostileBodies()) readReplyRouting(body.bytes);
  });
});

afterAll(notPolluted);
