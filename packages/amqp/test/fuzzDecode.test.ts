/**
 * Fuzzed decoding on the AMQP wire (issue 19, item 6): any delivery (random body bytes, hostile
 * bodies, random properties and header tables) maps to a transport message and then to an event
 * or a `malformed` dead letter, without a throw, in bounded time, without prototype pollution.
 */
import fc from 'fast-check';
import type * as amqp from 'amqplib';
import { jsonTransformer } from '@tributary/messaging/transport';
// the messaging layer's guard exactly as the delivery machine calls it: a test-only reach into
// its internals (no public API decodes a transport message without a running service)
// eslint-disable-next-line no-restricted-imports
import { decodeIncoming } from '../../messaging/src/internal/decodeIncoming';
import { hostileBodies, notPolluted } from '../../messaging/test/fixtures/hostileInputs';
import { fromDelivery } from '../src/internal/properties';

const headerValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 16 }).map(bytes => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 3 }),
);
const headerName = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'x-attempt', 'x-delivery-count', 'x-timestamp-ms', 'x-key', 'x-version', 'x-causation-id'));

/** A header table built with defineProperty, so that "__proto__" is an own key as amqplib's decoder makes it. */
const headerTable = fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 }).map(entries => {
  const table: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(table, key, { value, enumerable: true, configurable: true, writable: true });
  return table;
});

const property = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.double());

const delivery = (content: Buffer, headers: Record<string, unknown> | undefined, props: Record<string, unknown> = {}, redelivered = false): amqp.Message =>
  ({ content, fields: { redelivered, deliveryTag: 1, exchange: '', routingKey: 'q', consumerTag: 'c' }, properties: { headers, ...props } }) as unknown as amqp.Message;

const guard = (message: ReturnType<typeof fromDelivery>) => {
  const started = performance.now();
  const incoming = decodeIncoming(message, { channel: 'fuzz', wire: 'body', transformer: jsonTransformer, maxAttempts: 5 });
  expect(performance.now() - started).toBeLessThan(1000);
  if (incoming.ok) {
    expect(Object.getPrototypeOf(incoming.event.metadata)).toBe(Object.prototype);
    expect(Number.isFinite(incoming.event.metadata?.attempt)).toBe(true);
    for (const value of Object.values(incoming.event.metadata?.headers ?? {})) expect(typeof value).toBe('string');
  } else expect(['malformed', 'failed']).toContain(incoming.deadLetter.reason);
  notPolluted();
  return incoming;
};

describe('AMQP delivery mapping under fuzzed input', () => {
  it('random bytes, properties and header tables: an event or a dead letter, never a throw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 256 }),
        fc.option(headerTable, { nil: undefined }),
        fc.record({ messageId: property, correlationId: property, replyTo: property, type: property, timestamp: property }),
        fc.boolean(),
        (bytes, headers, props, redelivered) => {
          guard(fromDelivery(delivery(Buffer.from(bytes), headers, props, redelivered)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a valid body with hostile headers is still delivered, with string headers only', () => {
    fc.assert(
      fc.property(headerTable, headers => {
        const incoming = guard(fromDelivery(delivery(Buffer.from('{"type":"Ping","payload":1}'), headers, { messageId: 'm-1' })));
        expect(incoming.ok ? incoming.event.type : incoming.deadLetter.reason).toBe(incoming.ok ? 'Ping' : 'failed');
      }),
      { numRuns: 500 },
    );
  });

  it('hostile bodies: malformed ones are dead-lettered as malformed, the others decode soundly', () => {
    for (const [name, body] of hostileBodies()) {
      const incoming = guard(fromDelivery(delivery(body.bytes, { 'x-attempt': 1 })));
      if (body.malformed) expect({ name, reason: incoming.ok ? 'accepted' : incoming.deadLetter.reason }).toEqual({ name, reason: 'malformed' });
    }
  });
});

afterAll(notPolluted);
