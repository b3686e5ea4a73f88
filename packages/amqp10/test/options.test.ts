import { createTransportLayer, DEFAULT_AMQP10_OPTIONS } from '@tributary/amqp10';
import { Transport } from '@tributary/messaging';
import { fromAmqpMessage, toAmqpMessage } from '../src/internal/properties';
import { resolveAmqp10Options } from '../src/internal/resolveOptions';
import { serviceSources, subscriptionQueue } from '../src/internal/addresses';
import { routingOf } from '../src/internal/Outbox';

describe('@tributary/amqp10 options', () => {
  it('fills the defaults and masks the password in config.host', () => {
    const layer = createTransportLayer({ host: 'amqp://app:s3cret@broker.local:5673', channel: 'orders' });
    expect(layer.type).toBe(Transport.AMQP10);
    expect(layer.config).toMatchObject({ host: 'amqp://app:***@broker.local:5673', channel: 'orders', wire: 'body', durable: true, expectAck: false, concurrency: 32 });
    const resolved = resolveAmqp10Options({ host: 'amqp://app:s3cret@broker.local:5673', channel: 'orders' });
    expect(resolved.connect).toMatchObject({ host: 'broker.local', port: 5673, transport: 'tcp', username: 'app', password: 's3cret', tcp_no_delay: true, reconnect: false });
    expect(resolved.credit).toBe(DEFAULT_AMQP10_OPTIONS.credit);
    expect(resolved.deadLetter).toBe('orders.dead-letter');
    expect(resolveAmqp10Options({ host: 'amqps://h', channel: 'c' }).connect).toMatchObject({ port: 5671, transport: 'tls' });
  });

  it('refuses what cannot work, saying how to fix it', () => {
    expect(() => createTransportLayer({ host: 'http://x', channel: 'orders' })).toThrow(/`host` must be a broker URL like 'amqp:\/\/127.0.0.1:5673'/);
    expect(() => createTransportLayer({ host: 'amqp://x', channel: '' })).toThrow(/`channel` is required/);
    expect(() => createTransportLayer({ host: 'amqp://x', channel: 'a::b' })).toThrow(/without `::`, `\*` or `#`/);
    expect(() => createTransportLayer({ host: 'amqp://x', channel: 'orders.*' })).toThrow(/wildcards/);
    expect(() => createTransportLayer({ host: 'amqp://x', channel: 'orders', credit: 0 })).toThrow(/`credit` must be a whole number/);
  });

  it('maps subscribe patterns to wildcard addresses read through their fully qualified queue names', () => {
    const resolved = resolveAmqp10Options({ channel: 'billing', subscribe: ['OrderPlaced', 'payment.*', 'audit.#'] });
    expect(subscriptionQueue(resolved, 'payment.*')).toEqual({ address: 'event.payment.*', queue: 'billing.event.payment.*' });
    expect(serviceSources(resolved).map(s => s.address)).toEqual([
      'billing',
      'event.OrderPlaced::billing.event.OrderPlaced',
      'event.payment.*::billing.event.payment.*',
      'event.audit.#::billing.event.audit.#',
    ]);
    expect(routingOf('orders')).toBe('queue');
    expect(routingOf('f613e7e3-fe86-446c-b465-59466667ffc6')).toBe('as-is');
  });
});

describe('@tributary/amqp10 wire format', () => {
  it('carries metadata in properties and application properties, and back', () => {
    const amqp = toAmqpMessage({
      data: Buffer.from('{"type":"A"}'),
      messageId: 'm-1',
      correlationId: 'c-1',
      replyTo: 'r-1',
      type: 'A',
      timestamp: 1_700_000_000_123,
      causationId: 'cause',
      headers: { tenant: 'acme' },
      attempt: 3,
      key: 'k',
      version: 2,
    });
    expect(amqp).toMatchObject({ message_id: 'm-1', correlation_id: 'c-1', reply_to: 'r-1', subject: 'A', durable: true });
    expect(amqp.application_properties).toEqual({ tenant: 'acme', 'x-causation-id': 'cause', 'x-attempt': 3, 'x-key': 'k', 'x-version': 2 });
    const raw = {};
    const back = fromAmqpMessage({ ...amqp, delivery_count: 1 }, raw);
    expect(back).toEqual({
      data: Buffer.from('{"type":"A"}'),
      raw,
      messageId: 'm-1',
      correlationId: 'c-1',
      replyTo: 'r-1',
      type: 'A',
      timestamp: 1_700_000_000_123,
      causationId: 'cause',
      headers: { tenant: 'acme' },
      attempt: 4, // x-attempt 3 + one failed delivery of this copy
      key: 'k',
      version: 2,
    });
  });

  it('reads foreign bodies: an amqp-value string, none at all', () => {
    expect(fromAmqpMessage({ body: 'text' }, {}).data).toEqual(Buffer.from('text'));
    expect(fromAmqpMessage({}, {})).toMatchObject({ data: Buffer.alloc(0), attempt: 1 });
  });
});
