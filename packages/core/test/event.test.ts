import * as t from 'io-ts';
import { isLeft, isRight } from 'fp-ts/Either';
import { createEvent, DELIVERY_TRACKER, DeliveryTracker, event, EVENT_CODEC_NAME, getDeliveryTracker, isEventCodec } from '@tributary/core';

describe('event()', () => {
  const OrderCreated = event('OrderCreated')(t.type({ orderId: t.string, total: t.number }));

  test('is an io-ts codec of the whole event, with .type and .create', () => {
    expect(OrderCreated.type).toBe('OrderCreated');
    expect(OrderCreated.name).toBe(EVENT_CODEC_NAME);
    expect(OrderCreated.create({ orderId: 'o-1', total: 42 })).toEqual({ type: 'OrderCreated', payload: { orderId: 'o-1', total: 42 } });
    expect(OrderCreated.create({ orderId: 'o-1', total: 42 }, { correlationId: 'c' })).toEqual({
      type: 'OrderCreated',
      payload: { orderId: 'o-1', total: 42 },
      metadata: { correlationId: 'c' },
    });
  });

  test('decodes valid events and rejects a wrong type or payload', () => {
    expect(isRight(OrderCreated.decode({ type: 'OrderCreated', payload: { orderId: 'o', total: 1 } }))).toBe(true);
    expect(isLeft(OrderCreated.decode({ type: 'OrderUpdated', payload: { orderId: 'o', total: 1 } }))).toBe(true);
    expect(isLeft(OrderCreated.decode({ type: 'OrderCreated', payload: { orderId: 'o' } }))).toBe(true);
    expect(OrderCreated.is(OrderCreated.create({ orderId: 'o', total: 1 }))).toBe(true);
  });

  test('without a payload codec the event has no payload', () => {
    const Ping = event('Ping')();
    expect(Ping.create()).toEqual({ type: 'Ping', payload: undefined });
    expect(isRight(Ping.decode({ type: 'Ping' }))).toBe(true);
    expect(isLeft(Ping.decode({ type: 'Ping', payload: 1 }))).toBe(true);
  });

  test('isEventCodec tells event codecs from other codecs', () => {
    expect(isEventCodec(OrderCreated)).toBe(true);
    expect(isEventCodec(t.type({ type: t.literal('X'), payload: t.number }))).toBe(true);
    expect(isEventCodec(t.type({ orderId: t.string }))).toBe(false);
    expect(isEventCodec(t.type({ type: t.string }))).toBe(false);
    expect(isEventCodec(t.string)).toBe(false);
    expect(isEventCodec(null)).toBe(false);
    expect(isEventCodec(undefined)).toBe(false);
  });
});

describe('createEvent()', () => {
  test('makes a creator with .type and a payload creator', () => {
    const Shipped = createEvent('OrderShipped', (orderId: string, carrier: string) => ({ orderId, carrier }));
    expect(Shipped.type).toBe('OrderShipped');
    expect(Shipped('o-1', 'ups')).toEqual({ type: 'OrderShipped', payload: { orderId: 'o-1', carrier: 'ups' } });
  });

  test('without a payload creator the payload is undefined', () => {
    const Ping = createEvent('Ping');
    expect(Ping.type).toBe('Ping');
    expect(Ping()).toEqual({ type: 'Ping', payload: undefined });
  });
});

describe('getDeliveryTracker', () => {
  test('reads the tracker from metadata under DELIVERY_TRACKER', () => {
    const tracker: DeliveryTracker = { matched: () => undefined, begin: () => undefined, end: () => undefined };
    expect(getDeliveryTracker({ type: 'A', metadata: { [DELIVERY_TRACKER]: tracker } })).toBe(tracker);
    expect(getDeliveryTracker({ type: 'A', metadata: {} })).toBeUndefined();
    expect(getDeliveryTracker({ type: 'A' })).toBeUndefined();
    expect(getDeliveryTracker(undefined)).toBeUndefined();
  });

  test('DELIVERY_TRACKER is a global symbol: copied by spread, never serialized', () => {
    const tracker: DeliveryTracker = { matched: () => undefined, begin: () => undefined, end: () => undefined };
    const metadata = { id: '1', [DELIVERY_TRACKER]: tracker };
    expect(typeof DELIVERY_TRACKER).toBe('symbol');
    expect(DELIVERY_TRACKER).toBe(Symbol.for('@tributary/core/deliveryTracker'));
    expect({ ...metadata }[DELIVERY_TRACKER]).toBe(tracker);
    expect(JSON.parse(JSON.stringify({ type: 'A', metadata }))).toEqual({ type: 'A', metadata: { id: '1' } });
  });
});
