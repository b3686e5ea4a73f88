import * as t from 'io-ts';
import { lastValueFrom, Observable, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  act,
  CoreError,
  DELIVERY_TRACKER,
  DeliveryTracker,
  encodeError,
  Event,
  event,
  EventError,
  eventValidator$,
  isEventError,
  isUnsupportedVersionError,
  matchEvent,
  UnsupportedVersionError,
} from '@tributary/core';

const createScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const collect = <T>(source$: Observable<T>) => lastValueFrom(source$.pipe(toArray()));
const failureOf = (source$: Observable<unknown>) =>
  lastValueFrom(source$).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );

// the history of one event: v1 { orderId, amount }, v2 adds currency, v3 renames amount to total
const V1 = t.type({ orderId: t.string, amount: t.number });
const V2 = t.type({ orderId: t.string, amount: t.number, currency: t.string });
const V3 = t.type({ orderId: t.string, total: t.number, currency: t.string });
const addCurrency = (v1: t.TypeOf<typeof V1>) => ({ ...v1, currency: 'EUR' });
const renameAmount = ({ amount, ...v2 }: t.TypeOf<typeof V2>) => ({ ...v2, total: amount });

const Plain = event('OrderPlaced', { version: 3, upcasters: { 1: addCurrency, 2: renameAmount } })(V3);
const Evolved = event('OrderPlaced')(V1).evolve(V2, addCurrency).evolve(V3, renameAmount);

const v1 = { type: 'OrderPlaced', payload: { orderId: 'o-1', amount: 5 }, metadata: { id: 'm-1' } };
const v1Explicit = { type: 'OrderPlaced', payload: { orderId: 'o-2', amount: 6 }, metadata: { id: 'm-2', version: 1 } };
const v2 = { type: 'OrderPlaced', payload: { orderId: 'o-3', amount: 7, currency: 'USD' }, metadata: { id: 'm-3', version: 2 } };
const v3 = { type: 'OrderPlaced', payload: { orderId: 'o-4', total: 8, currency: 'GBP' }, metadata: { id: 'm-4', version: 3 } };
const v4 = { type: 'OrderPlaced', payload: { orderId: 'o-5', grandTotal: 9 }, metadata: { id: 'm-5', version: 4 } };

describe('event(type, { version, upcasters })', () => {
  test('version defaults to 1, without upcasters; create() then stamps nothing (unchanged from 0.1)', () => {
    const Ping = event('Ping')();
    const Created = event('OrderCreated')(V1);
    expect([Ping.version, Created.version]).toEqual([1, 1]);
    expect(Created.upcasters).toEqual({});
    expect(Created.create({ orderId: 'o', amount: 1 })).toEqual({ type: 'OrderCreated', payload: { orderId: 'o', amount: 1 } });
    expect(Created.create({ orderId: 'o', amount: 1 })).not.toHaveProperty('metadata');
    expect(Created.create({ orderId: 'o', amount: 1 }, { id: 'x' }).metadata).toEqual({ id: 'x' });
  });

  test('create() stamps metadata.version from version 2 on, over the metadata given', () => {
    expect(Plain.version).toBe(3);
    expect(Plain.create({ orderId: 'o', total: 1, currency: 'EUR' })).toEqual({
      type: 'OrderPlaced',
      payload: { orderId: 'o', total: 1, currency: 'EUR' },
      metadata: { version: 3 },
    });
    const metadata = { correlationId: 'c-1', version: 1 };
    expect(Plain.create({ orderId: 'o', total: 1, currency: 'EUR' }, metadata).metadata).toEqual({ correlationId: 'c-1', version: 3 });
    expect(metadata.version).toBe(1); // the caller's metadata is not changed
    expect(event('Tick', { version: 2 })().create()).toEqual({ type: 'Tick', payload: undefined, metadata: { version: 2 } });
  });

  test('exposes its upcasters by the version they read', () => {
    expect(Object.keys(Plain.upcasters)).toEqual(['1', '2']);
    expect(Plain.upcasters[1]!({ orderId: 'o', amount: 1 })).toEqual({ orderId: 'o', amount: 1, currency: 'EUR' });
  });

  test.each([
    [{ version: 0 }, 'version must be a whole number from 1 up'],
    [{ version: 1.5 }, 'version must be a whole number from 1 up'],
    [{ version: 2, upcasters: { 2: (p: unknown) => p } }, 'upcasters[2] is not a step below version 2'],
    [{ version: 2, upcasters: { 0: (p: unknown) => p } }, 'upcasters[0] is not a step below version 2'],
    [{ version: 2, upcasters: { 1: 'up' as never } }, 'upcasters[1] must be a function'],
    [{ version: 3, upcasters: { 2: (p: unknown) => p } }, 'no upcaster from version 1 to 2'],
    [{ version: 4, upcasters: { 1: (p: unknown) => p, 3: (p: unknown) => p } }, 'no upcaster from version 2 to 3'],
  ])('a bad declaration %j throws at definition: %s', (options, message) => {
    const define = () => event('OrderPlaced', options)(V3);
    expect(define).toThrow(CoreError);
    expect(define).toThrow(message);
    expect(define).toThrow(/^event\('OrderPlaced', \{ version: [\d.]+ \}\): /);
  });

  test('a version without any upcaster is allowed: it reads that version only', () => {
    expect(event('OrderPlaced', { version: 3 })(V3).version).toBe(3);
  });
});

describe('evolve(nextCodec, up)', () => {
  test('makes the next version, with one upcaster per older version', () => {
    const V1Codec = event('OrderPlaced')(V1);
    const V2Codec = V1Codec.evolve(V2, addCurrency);
    expect([V1Codec.version, V2Codec.version, Evolved.version]).toEqual([1, 2, 3]);
    expect(V1Codec.upcasters).toEqual({}); // evolve makes a new codec
    expect(Object.keys(Evolved.upcasters)).toEqual(['1', '2']);
    expect(Evolved.type).toBe('OrderPlaced');
    expect(Evolved.create({ orderId: 'o', total: 1, currency: 'EUR' }).metadata).toEqual({ version: 3 });
  });

  test('its upcasters decode the older payload with that version\'s codec first', () => {
    expect(Evolved.upcasters[1]!({ orderId: 'o', amount: 1 })).toEqual({ orderId: 'o', amount: 1, currency: 'EUR' });
    expect(() => Evolved.upcasters[1]!({ orderId: 'o' })).toThrow();
  });

  test('evolving a codec declared at version 3 without upcasters leaves a gap: throws', () => {
    expect(() => event('OrderPlaced', { version: 3 })(V3).evolve(V3, v => v)).toThrow('no upcaster from version 1 to 2');
  });
});

describe.each([
  ['upcasters option', Plain],
  ['evolve', Evolved],
] as const)('eventValidator$ with versions (%s)', (_, OrderPlaced) => {
  test('v1 (no version), v1, v2 and v3 payloads reach a v3 effect upcast; v4 becomes an error event', () => {
    createScheduler().run(({ hot, expectObservable }) => {
      const events = { a: v1, b: v1Explicit, c: v2, d: v3, e: v4 };
      const output$ = hot('-a-b-c-d-e-|', events).pipe(
        matchEvent(OrderPlaced),
        act(eventValidator$(OrderPlaced)),
        act(e => ({ type: 'Charged', payload: `${e.payload.orderId}: ${e.payload.total} ${e.payload.currency}`, metadata: e.metadata })),
      );
      expectObservable(output$).toBe('-a-b-c-d-e-|', {
        a: { type: 'Charged', payload: 'o-1: 5 EUR', metadata: { id: 'm-1', version: 3 } },
        b: { type: 'Charged', payload: 'o-2: 6 EUR', metadata: { id: 'm-2', version: 3 } },
        c: { type: 'Charged', payload: 'o-3: 7 USD', metadata: { id: 'm-3', version: 3 } },
        d: { type: 'Charged', payload: 'o-4: 8 GBP', metadata: { id: 'm-4', version: 3 } },
        e: {
          type: 'OrderPlaced_UNHANDLED_ERROR',
          metadata: v4.metadata,
          error: {
            name: 'UnsupportedVersionError',
            message: expect.stringContaining('Deploy the consumer that knows version 4'),
            type: 'OrderPlaced',
            received: 4,
            supported: 3,
          },
        },
      });
    });
  });

  test('the validated event is the upcast event of the newest version, metadata kept', async () => {
    const tracker: DeliveryTracker = { matched: () => undefined, begin: () => undefined, end: () => undefined };
    const input = { ...v1, metadata: { ...v1.metadata, correlationId: 'c-1', [DELIVERY_TRACKER]: tracker } };
    const [out] = await collect(eventValidator$(OrderPlaced)(input));
    expect(out).toEqual({
      type: 'OrderPlaced',
      payload: { orderId: 'o-1', total: 5, currency: 'EUR' },
      metadata: { id: 'm-1', correlationId: 'c-1', version: 3, [DELIVERY_TRACKER]: tracker },
    });
    expect(out!.metadata[DELIVERY_TRACKER]).toBe(tracker); // the delivery is still tracked
    expect(input.payload).toEqual({ orderId: 'o-1', amount: 5 }); // the input is not changed
    expect(input.metadata).not.toHaveProperty('version');
  });

  test('a newer event fails with an UnsupportedVersionError that says how to fix it', async () => {
    const error = await failureOf(eventValidator$(OrderPlaced)(v4));
    expect(error).toBeInstanceOf(UnsupportedVersionError);
    expect(error).toMatchObject({ name: 'UnsupportedVersionError', type: 'OrderPlaced', received: 4, supported: 3, event: v4 });
    expect(error.message).toBe(
      'Event "OrderPlaced" is version 4, newer than the version 3 this consumer knows. ' +
        "Deploy the consumer that knows version 4 (event('OrderPlaced', { version: 4, upcasters })) before the producers that send it, then redrive the dead-lettered events.",
    );
  });

  // a header-based transport may hand the version over as a string
  const versioned = (version: unknown): Event => ({ ...v2, metadata: { version: version as number } });

  test('a version that arrives as a string is read as a number', async () => {
    const [out] = await collect(eventValidator$(OrderPlaced)(versioned('2')));
    expect(out!.payload).toEqual({ orderId: 'o-3', total: 7, currency: 'USD' });
    const error = await failureOf(eventValidator$(OrderPlaced)(versioned('4')));
    expect(isUnsupportedVersionError(error)).toBe(true);
  });

  test.each([0, -1, 2.5, 'two', ''])('an invalid version %j fails validation (an EventError, not retried)', async version => {
    const error = await failureOf(eventValidator$(OrderPlaced)(versioned(version)));
    expect(error.name).toBe('EventError');
    expect(error.message).toContain(`invalid metadata.version ${JSON.stringify(version)}`);
  });

  test('a bad older payload fails validation (decoded after its upcasters, or by its version\'s codec with evolve)', async () => {
    const bad = { type: 'OrderPlaced', payload: { orderId: 'o', amount: 'five', currency: 'EUR' }, metadata: { version: 2 } };
    const error = await failureOf(eventValidator$(OrderPlaced)(bad));
    expect(error).toBeInstanceOf(EventError);
    expect(error.message).toMatch(/^Event "OrderPlaced" failed validation.*: payload\.(total|amount): expected number, received "five"$/);
  });

  test('an event of another type is not upcast: it fails on its type, whatever its version', async () => {
    const error = (await failureOf(eventValidator$(OrderPlaced)({ type: 'OrderCancelled', payload: {}, metadata: { version: 9 } }))) as EventError;
    expect(error.name).toBe('EventError');
    expect(error.data).toContainEqual({ path: 'type', expected: '"OrderPlaced"', received: 'OrderCancelled' });
  });
});

describe('eventValidator$: failures while upcasting', () => {
  test('an upcaster that throws: an EventError naming the step', async () => {
    const Failing = event('OrderPlaced', {
      version: 3,
      upcasters: {
        1: addCurrency,
        2: () => {
          throw new TypeError('no total');
        },
      },
    })(V3);
    const error = (await failureOf(eventValidator$(Failing)(v1))) as EventError;
    expect(error).toBeInstanceOf(EventError);
    expect(isEventError(error)).toBe(true);
    expect(isUnsupportedVersionError(error)).toBe(false);
    expect(error.message).toBe(
      'Event "OrderPlaced": the upcaster from version 2 to 3 failed: no total. Fix upcasters[2] of event(\'OrderPlaced\'); the event is not retried.',
    );
    expect(error.data).toEqual({ from: 2, to: 3, error: { name: 'TypeError', message: 'no total' } });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  test('an upcaster that returns a Promise: an EventError (upcasters are synchronous)', async () => {
    const Async = event('OrderPlaced', { version: 2, upcasters: { 1: async (p: object) => ({ ...p, currency: 'EUR' }) } })(V2);
    const error = await failureOf(eventValidator$(Async)(v1));
    expect(error.message).toContain('the upcaster from version 1 to 2 returned a Promise');
  });

  test('evolve: an older payload that does not match its version\'s codec fails validation as that version', async () => {
    const bad = { type: 'OrderPlaced', payload: { orderId: 'o', amount: 'five' } };
    const error = (await failureOf(eventValidator$(Evolved)(bad))) as EventError;
    expect(error.message).toBe('Event "OrderPlaced" failed validation as version 1: payload.amount: expected number, received "five"');
    expect(error.data).toEqual([{ path: 'payload.amount', expected: 'number', received: 'five' }]);
  });

  test('evolve: an upcaster output that does not match the next version\'s codec names the version it was upcast from', async () => {
    const Broken = event('OrderPlaced')(V1)
      .evolve(V2, v => ({ ...v, currency: 1 as unknown as string }))
      .evolve(V3, renameAmount);
    const error = await failureOf(eventValidator$(Broken)(v1));
    expect(error.message).toBe('Event "OrderPlaced" failed validation as version 2 (upcast from version 1): payload.currency: expected string, received 1');
  });

  test('a missing step (a v3 codec without upcasters receiving v1): an EventError naming the step', async () => {
    const V3Only = event('OrderPlaced', { version: 3 })(V3);
    const error = (await failureOf(eventValidator$(V3Only)(v1))) as EventError;
    expect(error.name).toBe('EventError');
    expect(error.message).toBe(
      'Event "OrderPlaced" is version 1, and there is no upcaster from version 1 to 2: this consumer reads version 3 only. ' +
        "Declare event('OrderPlaced', { version: 3, upcasters: { 1: v1 => v2, ... } }).",
    );
    expect(error.data).toEqual({ from: 1, to: 2 });
    expect(await collect(eventValidator$(V3Only)(v3))).toHaveLength(1);
  });
});

describe('eventValidator$: codecs without versions are version 1', () => {
  test.each([
    ['a payload codec', V1],
    ['an io-ts codec of the whole event', t.type({ type: t.literal('OrderPlaced'), payload: V1 })],
    ['a version 1 event() codec', event('OrderPlaced')(V1)],
  ] as const)('%s reads versions 1 and none, unchanged; a version 2 event is unsupported', async (_, codec) => {
    expect(await collect(eventValidator$(codec)(v1))).toEqual([v1]);
    expect(await collect(eventValidator$(codec)(v1Explicit))).toEqual([v1Explicit]);
    const error = await failureOf(eventValidator$(codec)(v2));
    expect(error).toMatchObject({ name: 'UnsupportedVersionError', received: 2, supported: 1 });
  });
});

describe('UnsupportedVersionError', () => {
  const error = new UnsupportedVersionError(v4, 4, 3);

  test('is an EventError with a stable name, recognised without instanceof', () => {
    expect(error).toBeInstanceOf(EventError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UnsupportedVersionError');
    expect(isEventError(error)).toBe(true);
    expect(isUnsupportedVersionError(error)).toBe(true);
    // as another copy of @tributary/core, or a remote reply, would make it
    const foreign = Object.assign(new Error('newer'), { name: 'UnsupportedVersionError' });
    expect(isUnsupportedVersionError(foreign)).toBe(true);
    expect(isEventError(foreign)).toBe(true);
    expect(isUnsupportedVersionError(new EventError(v4, 'bad'))).toBe(false);
    expect(isUnsupportedVersionError(new Error('x'))).toBe(false);
    expect(isUnsupportedVersionError(null)).toBe(false);
    expect(isUnsupportedVersionError('UnsupportedVersionError')).toBe(false);
  });

  test('its encoded form (as it crosses the wire) keeps name and fields, and is recognised', () => {
    const encoded = encodeError(error);
    expect(encoded).toEqual({ name: 'UnsupportedVersionError', message: error.message, type: 'OrderPlaced', received: 4, supported: 3 });
    expect(isUnsupportedVersionError(JSON.parse(JSON.stringify(encoded)))).toBe(true);
  });
});

describe('matchEvent and versions', () => {
  test('matches by type whatever the version', () => {
    createScheduler().run(({ hot, expectObservable }) => {
      const other = { type: 'OrderCancelled', payload: {}, metadata: { version: 3 } };
      const output$ = hot<Event>('-a-c-d-e-o-|', { a: v1, c: v2, d: v3, e: v4, o: other }).pipe(matchEvent(Evolved));
      expectObservable(output$).toBe('-a-c-d-e---|', { a: v1, c: v2, d: v3, e: v4 });
    });
  });

  test('a version 1 matcher lets newer versions through too (the validator decides)', () => {
    createScheduler().run(({ hot, expectObservable }) => {
      const output$ = hot<Event>('-a-e-|', { a: v1, e: v4 }).pipe(matchEvent(event('OrderPlaced')(V1)));
      expectObservable(output$).toBe('-a-e-|', { a: v1, e: v4 });
    });
  });
});
