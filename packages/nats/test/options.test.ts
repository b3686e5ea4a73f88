import { Transport } from '@tributary/messaging';
import { createNatsStrategy, createTransportLayer, DEFAULT_NATS_OPTIONS } from '@tributary/nats';
import { resolveNatsOptions } from '../src/internal/resolveOptions';
import { patternSubject, streamName, subscriptionConsumer } from '../src/internal/subjects';

describe('@tributary/nats options', () => {
  test('defaults: the local server, body wire, durable, the shared delivery options', () => {
    const layer = createTransportLayer({ channel: 'orders' });
    expect(layer.type).toBe(Transport.NATS);
    expect(layer.config).toMatchObject({ host: DEFAULT_NATS_OPTIONS.host, channel: 'orders', wire: 'body', durable: true, system: 'nats', expectAck: false, subscribe: [], concurrency: 32 });
    expect(layer.config.retry.maxAttempts).toBe(5);
    expect(createNatsStrategy).toBe(createTransportLayer);
  });

  test('tls: true requires it (no options), false forbids it (null for the client), an object is passed on; default: as the server says', () => {
    expect(resolveNatsOptions({ channel: 'a' }).tls).toBeUndefined();
    expect(resolveNatsOptions({ channel: 'a', tls: true }).tls).toEqual({});
    expect(resolveNatsOptions({ channel: 'a', tls: false }).tls).toBeNull();
    expect(resolveNatsOptions({ channel: 'a', tls: { ca: 'pem', handshakeFirst: true } }).tls).toEqual({ ca: 'pem', handshakeFirst: true });
  });

  test('masks passwords in config.host and accepts several servers', () => {
    expect(createTransportLayer({ host: 'nats://app:secret@127.0.0.1:4222', channel: 'orders' }).config.host).toBe('nats://app:***@127.0.0.1:4222');
    expect(resolveNatsOptions({ host: ['nats://a:4222', 'nats://b:4222'], channel: 'orders' }).servers).toEqual(['nats://a:4222', 'nats://b:4222']);
  });

  test.each([
    [{ host: 'amqp://127.0.0.1', channel: 'orders' }, /`host` must be a server URL/],
    [{ channel: '' }, /`channel` is required/],
    [{ channel: 'orders.*' }, /without spaces, wildcards/],
    [{ channel: 'a..b' }, /empty tokens/],
    [{ channel: '_INBOX.x' }, /not starting with _INBOX/],
    [{ channel: 'orders', subscribe: ['payment.>'] }, /`subscribe` patterns/],
    [{ channel: 'orders', ackWait: 0 }, /`ackWait` must be a positive number/],
    [{ channel: 'orders', timeout: -1 }, /`timeout` must be a positive number/],
  ])('rejects %j with an error that says how to fix it', (options, message) => {
    expect(() => createTransportLayer(options as never)).toThrow(message);
  });

  test('stream and consumer names: no dots or wildcards; dead letters on <channel>.dead-letter', () => {
    expect(streamName('shop.orders v2')).toBe('shop_orders_v2');
    const resolved = resolveNatsOptions({ channel: 'shop.orders', stream: 'shop.orders' });
    expect(resolved.stream).toBe('shop_orders');
    expect(resolved.deadLetter).toEqual({ subject: 'shop.orders.dead-letter', stream: undefined });
    expect(resolveNatsOptions({ channel: 'orders', deadLetter: false }).deadLetter).toBe(false);
    expect(subscriptionConsumer('orders', 'payment.*')).toMatch(/^orders_sub_[0-9a-f]{12}$/);
    expect(subscriptionConsumer('orders', 'payment.*')).not.toBe(subscriptionConsumer('orders', 'payment.#'));
  });

  test('subscribe patterns become event subjects: * stays, # becomes >', () => {
    expect(patternSubject('event', 'OrderPlaced')).toBe('event.OrderPlaced');
    expect(patternSubject('event', 'payment.*')).toBe('event.payment.*');
    expect(patternSubject('event', 'payment.#')).toBe('event.payment.>');
    expect(patternSubject('event', '#')).toBe('event.>');
  });
});
