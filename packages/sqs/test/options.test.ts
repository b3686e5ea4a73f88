import { Transport } from '@tributary/messaging';
import { createTransportLayer, DEFAULT_SQS_OPTIONS } from '@tributary/sqs';
import { fromWire, toWire } from '../src/internal/attributes';
import { DEFAULT_GROUP, fifoIds } from '../src/internal/fifo';
import { resolveSqsOptions } from '../src/internal/resolveOptions';
import { filterPolicy } from '../src/internal/Sns';

describe('@tributary/sqs options', () => {
  it('describes itself to the messaging layer: body wire, durable, the channel as the service name', () => {
    const layer = createTransportLayer({ host: 'http://127.0.0.1:9324', channel: 'orders', fifo: true, retry: { maxAttempts: 3 } });
    expect(layer.type).toBe(Transport.SQS);
    expect(layer.config).toMatchObject({ host: 'http://127.0.0.1:9324', channel: 'orders', wire: 'body', durable: true, retry: { maxAttempts: 3 } });
  });

  it('fills the defaults: queue names, dead-letter queue, prefetch from concurrency', () => {
    const resolved = resolveSqsOptions({ channel: 'orders', fifo: true, concurrency: 8 });
    expect(resolved).toMatchObject({ queue: 'orders.fifo', deadLetter: 'orders-dead-letter.fifo', prefetch: 8, sns: false });
    expect(resolved.host).toBe(`sqs://${process.env.AWS_REGION ?? 'us-east-1'}`);
    expect(resolved.visibilityTimeout).toBe(DEFAULT_SQS_OPTIONS.visibilityTimeout);
    expect(resolveSqsOptions({ channel: 'orders', deadLetter: false, sns: true }).sns).toEqual({ endpoint: undefined, topic: 'tributary-events' });
  });

  it('refuses what SQS cannot take, saying how to fix it', () => {
    expect(() => resolveSqsOptions({ channel: 'orders.v2' })).toThrow(/letters, digits, '-' and '_'/);
    expect(() => resolveSqsOptions({ channel: 'x'.repeat(76), fifo: true })).toThrow(/at most 75/);
    expect(() => resolveSqsOptions({ channel: 'orders', host: 'http://key:secret@127.0.0.1:9324' })).toThrow(/pass them in `credentials`/);
    expect(() => resolveSqsOptions({ channel: 'orders', waitTimeSeconds: 30 })).toThrow(/from 0 to 20/);
    expect(() => resolveSqsOptions({ channel: 'orders', visibilityTimeout: 0 })).toThrow(/visibilityTimeout/);
  });

  it('builds an SNS filter policy: exact types, a prefix for patterns, none when a pattern starts with a wildcard', () => {
    expect(JSON.parse(filterPolicy(['OrderPlaced', 'payment.*', 'stock.#.low'])!)).toEqual({ 'tributary-type': ['OrderPlaced', { prefix: 'payment.' }, { prefix: 'stock.' }] });
    expect(filterPolicy(['#'])).toBeUndefined();
  });

  it('FIFO ids: the key is the group (one default group without a key), the id deduplicates', () => {
    expect(fifoIds({ data: '', key: 'o-1', messageId: 'm-1' }, true)).toEqual({ MessageGroupId: 'o-1', MessageDeduplicationId: 'm-1' });
    expect(fifoIds({ data: '', messageId: 'm-2' }, true).MessageGroupId).toBe(DEFAULT_GROUP);
    expect(fifoIds({ data: '', key: 'clé avec espaces' }, true).MessageGroupId).toMatch(/^[0-9a-f]{64}$/);
    expect(fifoIds({ data: '' }, false)).toEqual({});
  });

  it('wire format: metadata in one JSON attribute, headers in another, the type alone; bytes SQS cannot carry go as base64', () => {
    const { body, attributes } = toWire({ data: Buffer.from('{"type":"A"}'), type: 'A', messageId: 'm', key: 'k', version: 2, headers: { tenant: 'acme' } });
    expect(body).toBe('{"type":"A"}');
    expect(Object.keys(attributes).sort()).toEqual(['tributary-headers', 'tributary-meta', 'tributary-type']);
    const back = fromWire({ Body: body, MessageAttributes: attributes, Attributes: { ApproximateReceiveCount: '3' } });
    expect(back).toMatchObject({ type: 'A', messageId: 'm', key: 'k', version: 2, headers: { tenant: 'acme' }, attempt: 3 });
    const binary = Buffer.from([0, 1, 2, 255]);
    const wire = toWire({ data: binary });
    expect(wire.body).toBe(binary.toString('base64'));
    expect(fromWire({ Body: wire.body, MessageAttributes: wire.attributes }).data).toEqual(binary);
  });
});
