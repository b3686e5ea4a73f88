import { createTransportLayer, DEFAULT_KAFKA_OPTIONS, eventTopic } from '@tributary/kafka';
import { Transport } from '@tributary/messaging';
import { fromRecord, toHeaders } from '../src/internal/wire';

describe('@tributary/kafka options', () => {
  it('fills the defaults and describes the layer', () => {
    const layer = createTransportLayer({ brokers: ['127.0.0.1:9092'], topic: 'orders' });
    expect(layer.type).toBe(Transport.KAFKA);
    expect(layer.config).toMatchObject({ host: 'kafka://127.0.0.1:9092', channel: 'orders', wire: 'body', durable: true, expectAck: false, concurrency: 32 });
    expect(layer.config.retry.maxAttempts).toBe(5);
    expect(DEFAULT_KAFKA_OPTIONS.partitions).toBe(3);
  });

  it.each([
    [{ topic: 'orders' }, /brokers/],
    [{ brokers: [], topic: 'orders' }, /brokers/],
    [{ brokers: ['127.0.0.1:9092'], topic: 'bad topic!' }, /Kafka topic name/],
    [{ brokers: ['127.0.0.1:9092'], topic: 'orders', partitions: 0 }, /partitions/],
    [{ brokers: ['127.0.0.1:9092'], topic: 'orders', startFrom: 'yesterday' }, /startFrom/],
    [{ brokers: ['127.0.0.1:9092'], topic: 'orders', concurrency: 0 }, /concurrency/],
  ])('refuses %j with a message saying how to fix it', (options, message) => {
    expect(() => createTransportLayer(options as never)).toThrow(message);
  });

  it('sanitises event types into topic names', () => {
    expect(eventTopic('OrderPlaced')).toBe('event.OrderPlaced');
    expect(eventTopic('payment.card/declined ok')).toBe('event.payment.card_declined_ok');
  });
});

describe('@tributary/kafka wire format', () => {
  it('carries metadata in tributary.* headers and user headers as they are, and reads them back', () => {
    const headers = toHeaders({
      data: Buffer.from('{}'),
      messageId: 'id-1',
      correlationId: 'c-1',
      replyTo: 'tributary.reply.x#1',
      causationId: 'cause',
      timestamp: 1700000000000,
      type: 'OrderPlaced',
      version: 2,
      attempt: 1,
      key: 'order-1',
      headers: { tenant: 'acme', 'tributary.id': 'spoofed', 'x-error-name': 'spoofed' },
    });
    expect(headers).toEqual({
      tenant: 'acme',
      'tributary.id': 'id-1',
      'tributary.correlation-id': 'c-1',
      'tributary.reply-to': 'tributary.reply.x#1',
      'tributary.causation-id': 'cause',
      'tributary.timestamp': '1700000000000',
      'tributary.type': 'OrderPlaced',
      'tributary.version': '2',
    });
    const raw = {};
    const message = fromRecord(Buffer.from('{}'), 'order-1', { ...headers, 'x-attempts': '3' }, raw);
    expect(message).toMatchObject({
      messageId: 'id-1',
      correlationId: 'c-1',
      replyTo: 'tributary.reply.x#1',
      causationId: 'cause',
      timestamp: 1700000000000,
      type: 'OrderPlaced',
      version: 2,
      attempt: 1,
      key: 'order-1',
      headers: { tenant: 'acme' },
      raw,
    });
  });

  it('writes a correlation id equal to the id once (the id), and reads it back as the correlation id', () => {
    const headers = toHeaders({ data: Buffer.from('{}'), messageId: 'id-1', correlationId: 'id-1', type: 'OrderPlaced' });
    expect(headers).toEqual({ 'tributary.id': 'id-1', 'tributary.type': 'OrderPlaced' });
    expect(fromRecord(Buffer.from('{}'), undefined, headers, {})).toMatchObject({ messageId: 'id-1', correlationId: 'id-1' });
    // a reply keeps its request's correlation id
    expect(toHeaders({ data: Buffer.from('{}'), messageId: 'id-2', correlationId: 'id-1' })).toMatchObject({ 'tributary.id': 'id-2', 'tributary.correlation-id': 'id-1' });
  });
});
