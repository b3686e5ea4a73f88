import { expectTypeOf } from 'expect-type';
import * as t from 'io-ts';
import { Observable, of } from 'rxjs';
import { act, Effect, Event, event, EventCodec, EventMetadata, EventOptions, eventValidator$, matchEvent, Upcaster } from '@tributary/core';

/*
 * Type inference of versions: type-checked by `tsc -p tsconfig.check.json`; at run time the
 * tests only assert that the values they build are what the types claim.
 */

const V1 = t.type({ orderId: t.string, amount: t.number });
const V2 = t.type({ orderId: t.string, amount: t.number, currency: t.string });
const V3 = t.type({ orderId: t.string, total: t.number, currency: t.string });
type V1 = t.TypeOf<typeof V1>;
type V2 = t.TypeOf<typeof V2>;
type V3 = t.TypeOf<typeof V3>;

const input$ = of<Event>({ type: 'OrderPlaced', payload: { orderId: 'o', amount: 1 } });

describe('types: evolve()', () => {
  test('each upcaster is typed from one version\'s codec to the next', () => {
    const OrderPlaced = event('OrderPlaced')(V1)
      .evolve(V2, v1 => {
        expectTypeOf(v1).toEqualTypeOf<V1>();
        return { ...v1, currency: 'EUR' };
      })
      .evolve(V3, v2 => {
        expectTypeOf(v2).toEqualTypeOf<V2>();
        const { amount, ...rest } = v2;
        return { ...rest, total: amount };
      });
    expectTypeOf(OrderPlaced).toEqualTypeOf<EventCodec<'OrderPlaced', typeof V3>>();
    expectTypeOf<t.TypeOf<typeof OrderPlaced>>().toEqualTypeOf<{ type: 'OrderPlaced'; payload: V3 }>();
    expectTypeOf(OrderPlaced.version).toEqualTypeOf<number>();
    expect(OrderPlaced.version).toBe(3);
  });

  test('an upcaster must return the next version\'s payload', () => {
    const V1Codec = event('OrderPlaced')(V1);
    // @ts-expect-error currency is missing from the version 2 payload
    const missing = () => V1Codec.evolve(V2, v1 => ({ ...v1 }));
    // @ts-expect-error version 1 has no currency
    const unknownField = () => V1Codec.evolve(V2, v1 => ({ ...v1, currency: v1.currency }));
    expect(missing).toBeInstanceOf(Function);
    expect(unknownField).toBeInstanceOf(Function);
  });

  test('the upcaster returns the encoded form of the next codec (what its decode reads)', () => {
    const DateFromString = new t.Type<Date, string, unknown>(
      'DateFromString',
      (u): u is Date => u instanceof Date,
      (u, c) => (typeof u === 'string' ? t.success(new Date(u)) : t.failure(u, c)),
      d => d.toISOString(),
    );
    const Stamped = event('Stamped')(t.type({ at: t.number })).evolve(t.type({ at: DateFromString }), v1 => {
      expectTypeOf(v1.at).toEqualTypeOf<number>();
      return { at: new Date(v1.at).toISOString() };
    });
    expectTypeOf<t.TypeOf<typeof Stamped>['payload']['at']>().toEqualTypeOf<Date>();
    expect(Stamped.version).toBe(2);
  });
});

describe('types: event(type, { version, upcasters })', () => {
  test('plain upcasters take an untyped payload; the codec is of the newest payload', () => {
    const OrderPlaced = event('OrderPlaced', {
      version: 3,
      upcasters: {
        1: v1 => ({ ...v1, currency: 'EUR' }),
        2: ({ amount, ...v2 }) => ({ ...v2, total: amount }),
      },
    })(V3);
    expectTypeOf(OrderPlaced).toEqualTypeOf<EventCodec<'OrderPlaced', typeof V3>>();
    expectTypeOf(OrderPlaced.upcasters).toEqualTypeOf<Readonly<Record<number, Upcaster>>>();
    expectTypeOf<Upcaster>().parameter(0).toBeAny();
    expectTypeOf<EventOptions['version']>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error an upcaster is a function
    const notAFunction = () => event('OrderPlaced', { version: 2, upcasters: { 1: 'up' } });
    expect(notAFunction).toBeInstanceOf(Function);
    expect(OrderPlaced.version).toBe(3);
  });

  test('the old form event(type)(codec) keeps its types', () => {
    const Created = event('OrderCreated')(V1);
    expectTypeOf(Created).toEqualTypeOf<EventCodec<'OrderCreated', typeof V1>>();
    expectTypeOf(Created.create).parameter(0).toEqualTypeOf<V1>();
    expect(Created.version).toBe(1);
  });
});

describe('types: a versioned codec in an effect', () => {
  const OrderPlaced = event('OrderPlaced')(V1)
    .evolve(V2, v1 => ({ ...v1, currency: 'EUR' }))
    .evolve(V3, ({ amount, ...v2 }) => ({ ...v2, total: amount }));

  test('matchEvent and eventValidator$ give the effect the newest payload type', () => {
    const out$ = input$.pipe(matchEvent(OrderPlaced), act(eventValidator$(OrderPlaced)));
    expectTypeOf(out$).toEqualTypeOf<Observable<{ type: 'OrderPlaced'; payload: V3 } & { metadata: EventMetadata }>>();
    const charge$: Effect<Event, Event> = event$ =>
      event$.pipe(
        matchEvent(OrderPlaced),
        act(eventValidator$(OrderPlaced)),
        act(e => {
          expectTypeOf(e.payload).toEqualTypeOf<V3>();
          // @ts-expect-error amount was renamed to total in version 3
          void e.payload.amount;
          return { type: 'Charged', payload: e.payload.total };
        }),
      );
    expect(out$).toBeInstanceOf(Observable);
    expect(charge$).toBeInstanceOf(Function);
  });

  test('create() takes the newest payload', () => {
    expectTypeOf(OrderPlaced.create).parameter(0).toEqualTypeOf<V3>();
    // @ts-expect-error a version 1 payload is not a version 3 payload
    OrderPlaced.create({ orderId: 'o', amount: 1 });
    expect(OrderPlaced.create({ orderId: 'o', total: 1, currency: 'EUR' }).metadata).toEqual({ version: 3 });
  });
});
