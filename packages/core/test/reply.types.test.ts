import { expectTypeOf } from 'expect-type';
import * as t from 'io-ts';
import { event, Event, ReplyOf } from '@tributary/core';

/* Reply codecs: type-checked by `tsc -p tsconfig.check.json`; at run time the tests assert what the values are. */

const Price = event('Price')(t.type({ sku: t.string, eur: t.number }));
const GetPrice = event('GetPrice', { reply: Price })(t.type({ sku: t.string }));
const Ping = event('Ping')();

describe('types: event(type, { reply })', () => {
  test('a request made by create() carries its reply type', () => {
    const request = GetPrice.create({ sku: 'a-1' });
    expectTypeOf<ReplyOf<typeof request>>().toEqualTypeOf<{ type: 'Price'; payload: { sku: string; eur: number } }>();
    expect(request).toEqual({ type: 'GetPrice', payload: { sku: 'a-1' } }); // nothing added at run time
    expect(GetPrice.reply).toBe(Price);
  });

  test('without a declared reply, or for a plain object, the reply is an Event', () => {
    expectTypeOf<ReplyOf<ReturnType<typeof Ping.create>>>().toEqualTypeOf<Event>();
    expectTypeOf<ReplyOf<{ type: 'X' }>>().toEqualTypeOf<Event>();
    expect(Ping.reply).toBeUndefined();
  });

  test('evolve keeps the reply codec', () => {
    const GetPrice2 = GetPrice.evolve(t.type({ sku: t.string, currency: t.string }), v1 => ({ ...v1, currency: 'EUR' }));
    expectTypeOf<ReplyOf<ReturnType<typeof GetPrice2.create>>>().toEqualTypeOf<t.TypeOf<typeof Price>>();
    expect(GetPrice2.reply).toBe(Price);
  });
});
