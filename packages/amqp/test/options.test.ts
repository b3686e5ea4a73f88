/**
 * What needs no broker: the public API, option defaults and checks, the topology names, and
 * the mapping between transport messages and AMQP properties.
 */
import * as api from '@tributary/amqp';
import { amqpTopology, AmqpConnectionStatus, createAmqpStrategy, createTransportLayer, DEFAULT_AMQP_OPTIONS } from '@tributary/amqp';
import { ConnectionStatus, DEFAULT_RETRY_OPTIONS, Transport } from '@tributary/messaging';
import type * as amqp from 'amqplib';
import { fromDelivery, toPublishArgs } from '../src/internal/properties';
import { resolveAmqpOptions } from '../src/internal/resolveOptions';

const delivery = (properties: Record<string, any>, redelivered = false, content: Buffer = Buffer.from('{}')): amqp.Message =>
  ({ content, fields: { deliveryTag: 1, redelivered, exchange: '', routingKey: 'q', consumerTag: 't' }, properties: { headers: {}, ...properties } }) as amqp.Message;

describe('@tributary/amqp public API', () => {
  it('exports exactly its public names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AmqpConnectionLostError',
        'AmqpConnectionStatus',
        'AmqpTopologyError',
        'AmqpUnroutableError',
        'DEFAULT_AMQP_OPTIONS',
        'amqpTopology',
        'createAmqpStrategy',
        'createTransportLayer',
      ].sort(),
    );
    expect(createAmqpStrategy).toBe(createTransportLayer);
  });

  it('keeps Marble.js status names as aliases of the shared statuses', () => {
    expect(AmqpConnectionStatus.CONNECTED).toBe(ConnectionStatus.CONNECTED);
    expect(AmqpConnectionStatus.CONNECTION_LOST).toBe(ConnectionStatus.DISCONNECTED);
    expect(AmqpConnectionStatus.RECONNECTING).toBe(ConnectionStatus.RECONNECTING);
    expect(AmqpConnectionStatus.CLOSED).toBe(ConnectionStatus.CLOSED);
  });

  it('is the layer messaging loads for Transport.AMQP, without connecting', () => {
    const layer = createTransportLayer({ host: 'amqp://127.0.0.1', queue: 'orders' });
    expect(layer.type).toBe(Transport.AMQP);
    expect(layer.config).toEqual({
      host: 'amqp://127.0.0.1',
      channel: 'orders',
      timeout: 120_000,
      wire: 'body',
      expectAck: false,
      retry: DEFAULT_RETRY_OPTIONS,
      subscribe: [],
      durable: true,
      concurrency: 32,
      system: 'rabbitmq',
      slowHandlerWarning: 0,
    });
  });
});

describe('options', () => {
  it('fills the defaults: durable classic queue, prefetch 32, confirms, heartbeat, noDelay', () => {
    const o = resolveAmqpOptions({ host: 'amqp://guest:guest@127.0.0.1:5672', queue: 'orders' });
    expect(o).toMatchObject({
      queueOptions: { durable: true },
      queueType: 'classic',
      prefetchCount: DEFAULT_AMQP_OPTIONS.prefetchCount,
      exchange: 'tributary.events',
      deadLetter: 'orders.dead-letter',
      confirm: true,
      reconnect: { initialDelay: 100, maxDelay: 5000 },
      socketOptions: { noDelay: true, timeout: 10_000 },
    });
    expect(new URL(o.url).searchParams.get('heartbeat')).toBe('10');
    expect(o.host).toBe('amqp://guest:***@127.0.0.1:5672');
  });

  it('keeps what the user set (heartbeat in the URL wins)', () => {
    const o = resolveAmqpOptions({
      host: 'amqp://u:p@rabbit/vhost?heartbeat=3',
      queue: 'q',
      heartbeat: 30,
      queueOptions: { maxLength: 10 },
      reconnect: { maxDelay: 100 },
      socketOptions: { noDelay: false },
      deadLetter: false,
      retry: { maxAttempts: 2 },
    });
    expect(new URL(o.url).searchParams.get('heartbeat')).toBe('3');
    expect(new URL(o.url).pathname).toBe('/vhost');
    expect(o.queueOptions).toEqual({ durable: true, maxLength: 10 });
    expect(o.reconnect).toEqual({ initialDelay: 100, maxDelay: 100 });
    expect(o.socketOptions.noDelay).toBe(false);
    expect(o.deadLetter).toBe(false);
    expect(o.retry).toEqual({ ...DEFAULT_RETRY_OPTIONS, maxAttempts: 2 });
  });

  it('refuses what cannot work, saying how to fix it', () => {
    expect(() => resolveAmqpOptions({ host: '127.0.0.1:5672', queue: 'q' })).toThrow(/amqp:\/\/guest:guest@127\.0\.0\.1:5672/);
    expect(() => resolveAmqpOptions({ host: 'amqp://h', queue: '' })).toThrow(/`queue` is required/);
    expect(() => resolveAmqpOptions({ host: 'amqp://h', queue: 'q', queueType: 'quorum', queueOptions: { durable: false } })).toThrow(/quorum queue must be durable/);
  });

  it('names the topology a service declares', () => {
    expect(amqpTopology({ host: 'amqp://h', queue: 'orders', subscribe: ['payment.*'], retry: { maxAttempts: 4, initialDelay: 100 } })).toEqual({
      exchange: 'tributary.events',
      queue: 'orders',
      deadLetter: 'orders.dead-letter',
      retryQueues: ['orders.retry.100', 'orders.retry.200', 'orders.retry.400'],
      bindings: ['payment.*'],
    });
    // capped delays share one queue
    expect(amqpTopology({ host: 'amqp://h', queue: 'q', retry: { maxAttempts: 10, initialDelay: 1000, maxDelay: 2000 } }).retryQueues).toEqual([
      'q.retry.1000',
      'q.retry.2000',
    ]);
  });
});

describe('wire mapping', () => {
  it('maps metadata to AMQP properties and headers, and back', () => {
    const { content, options } = toPublishArgs(
      { data: Buffer.from('{"type":"A"}'), messageId: 'm', correlationId: 'c', replyTo: 'r', type: 'A', timestamp: 1_700_000_000_999, causationId: 'k', attempt: 3, headers: { tenant: 'acme' } },
      true,
    );
    expect(content.toString()).toBe('{"type":"A"}');
    expect(options).toEqual({
      contentType: 'application/json',
      persistent: true,
      messageId: 'm',
      correlationId: 'c',
      replyTo: 'r',
      type: 'A',
      timestamp: 1_700_000_000,
      headers: { tenant: 'acme', 'x-causation-id': 'k', 'x-attempt': 3, 'x-timestamp-ms': 1_700_000_000_999 },
    });
    const back = fromDelivery(delivery(options as amqp.MessageProperties, false, content));
    expect(back).toMatchObject({ messageId: 'm', correlationId: 'c', replyTo: 'r', type: 'A', timestamp: 1_700_000_000_999, causationId: 'k', attempt: 3, headers: { tenant: 'acme' } });
  });

  it('carries the ordering key and the event version (above 1) in x-key and x-version, and back', () => {
    const { options } = toPublishArgs({ data: Buffer.from('x'), key: 'order-7', version: 3 }, false);
    expect(options.headers).toEqual({ 'x-key': 'order-7', 'x-version': 3 });
    const back = fromDelivery(delivery(options as amqp.MessageProperties, false, Buffer.from('x')));
    expect(back).toMatchObject({ key: 'order-7', version: 3 });
    expect(back.headers).toBeUndefined(); // never user headers
    expect(toPublishArgs({ data: Buffer.from('x'), version: 1 }, false).options.headers).toEqual({});
  });

  it('leaves the first attempt and absent fields out of the message', () => {
    const { options } = toPublishArgs({ data: Buffer.from('x'), attempt: 1 }, false);
    expect(options).toEqual({ contentType: 'application/json', persistent: false, headers: {} });
  });

  it('counts broker redeliveries in attempt, and hides broker and Tributary headers from user headers', () => {
    expect(fromDelivery(delivery({}, true)).attempt).toBe(2);
    expect(fromDelivery(delivery({ headers: { 'x-attempt': 3 } }, true)).attempt).toBe(4);
    expect(fromDelivery(delivery({ headers: { 'x-delivery-count': 2 } })).attempt).toBe(3);
    const m = fromDelivery(
      delivery({
        timestamp: 1_700_000_000,
        headers: { 'x-death': [{ count: 1 }], 'x-first-death-queue': 'q.retry.200', 'x-error-name': 'E', n: 5, b: Buffer.from('bytes'), o: { nested: true } },
      }),
    );
    expect(m.headers).toEqual({ n: '5', b: 'bytes' });
    expect(m.timestamp).toBe(1_700_000_000_000);
  });
});
