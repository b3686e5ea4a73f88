/**
 * Fuzzed decoding (issue 19, item 6): whatever bytes arrive, the decode path answers with an
 * event or a `malformed` dead letter, in bounded time, without throwing and without touching
 * `Object.prototype`.
 */
import fc from 'fast-check';
import { decodeIncoming, Incoming } from '../src/internal/decodeIncoming';
import { jsonTransformer } from '../src/transport/jsonTransformer';
import type { TransportMessage, TransportWire } from '../src/transport/transport.interface';
import { hostileBodies, invalidUtf8, notPolluted } from './fixtures/hostileInputs';

const WIRES: TransportWire[] = ['body', 'envelope'];
const MAX_MS = 1000;

const decode = (data: unknown, wire: TransportWire, extra: Partial<TransportMessage> = {}): Incoming => {
  const started = performance.now();
  const incoming = decodeIncoming({ data, attempt: 1, ...extra }, { channel: 'fuzz', wire, transformer: jsonTransformer, maxAttempts: 5 });
  expect(performance.now() - started).toBeLessThan(MAX_MS);
  return incoming;
};

/** An accepted event is a plain one: a string type and metadata with the ordinary prototype. */
const expectSound = (incoming: Incoming): void => {
  if (incoming.ok) {
    expect(typeof incoming.event.type).toBe('string');
    expect(Object.getPrototypeOf(incoming.event.metadata)).toBe(Object.prototype);
    expect(typeof incoming.event.metadata?.attempt).toBe('number');
  } else {
    expect(['malformed', 'failed']).toContain(incoming.deadLetter.reason);
  }
  notPolluted();
};

afterEach(notPolluted);

describe('decodeIncoming under fuzzed input', () => {
  it.each(WIRES)('random bytes on the %s wire: an event or a malformed dead letter, never a throw', wire => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), bytes => expectSound(decode(Buffer.from(bytes), wire))),
      { numRuns: 500 },
    );
  });

  it.each(WIRES)('truncated JSON of a valid event on the %s wire is malformed', wire => {
    const whole = JSON.stringify({ type: 'OrderPlaced', payload: { id: 'o-1', lines: [1, 2, 3] }, metadata: { id: 'm-1', headers: { a: 'b' } } });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: whole.length - 1 }), cut => {
        const incoming = decode(Buffer.from(whole.slice(0, cut)), wire);
        expect(incoming.ok).toBe(false);
        if (!incoming.ok) expect(incoming.deadLetter.reason).toBe('malformed');
      }),
      { numRuns: 300 },
    );
  });

  it.each(WIRES)('arbitrary JSON values on the %s wire: sound events or malformed', wire => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), value => expectSound(decode(Buffer.from(JSON.stringify(value) ?? 'null'), wire))),
      { numRuns: 500 },
    );
  });

  it.each(WIRES)('events with arbitrary metadata on the %s wire never escape as unsound events', wire => {
    const metadata = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'attempt', 'id', 'headers', 'version', 'raw', 'x'), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(
      fc.property(metadata, fc.jsonValue({ maxDepth: 3 }), (meta, payload) => {
        // JSON.stringify drops an own "__proto__" set through assignment: write the text by hand
        const metaText = `{${Object.entries(meta).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
        const text = `{"type":"Fuzzed","payload":${JSON.stringify(payload)},"metadata":${metaText}}`;
        expectSound(decode(Buffer.from(text), wire));
      }),
      { numRuns: 500 },
    );
  });

  it.each(WIRES)('hostile bodies on the %s wire (%#)', wire => {
    for (const [name, body] of hostileBodies()) {
      const incoming = decode(body.bytes, wire);
      expectSound(incoming);
      if (body.malformed) expect({ name, reason: incoming.ok ? 'accepted' : incoming.deadLetter.reason }).toEqual({ name, reason: 'malformed' });
      if (incoming.ok) {
        const metadata = incoming.event.metadata as Record<string, unknown>;
        expect({ name, polluted: metadata.polluted, attempt: metadata.attempt }).toEqual({ name, polluted: undefined, attempt: 1 });
      }
    }
  });

  it('invalid UTF-8 anywhere in the bytes: decoded with replacement characters or malformed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.constantFrom(...invalidUtf8), (at, bad) => {
        const text = Buffer.from('{"type":"Ping","payload":"hello world, this is text","metadata":{"id":"x"}}');
        const position = Math.min(at, text.length);
        expectSound(decode(Buffer.concat([text.subarray(0, position), bad, text.subarray(position)]), 'body'));
      }),
      { numRuns: 300 },
    );
  });

  it('the object wire (in-process) accepts only objects with a type string', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), value => expectSound(decode(value, 'object'))),
      { numRuns: 500 },
    );
  });

  it('a body that is not bytes on a bytes wire is malformed', () => {
    for (const data of [undefined, null, 'text', 42, { type: 'X' }, [1]]) {
      const incoming = decode(data, 'body');
      expect(incoming.ok ? 'accepted' : incoming.deadLetter.reason).toBe('malformed');
    }
  });
});
