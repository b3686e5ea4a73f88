/**
 * OpenTelemetry and health on Redis (streams and pub/sub): one trace from a client's emit
 * through two services, and health during an outage made with a TCP proxy of our own.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { RedisTestBed, waitFor } from './helpers';
import { parentOf, registerOtel, spanNamed, TestOtel } from '../../messaging/test/otel';
import { RedisServices } from './services';
import { TcpProxy } from '../../amqp/test/helpers/tcpProxy';

jest.setTimeout(60_000);

describe('OpenTelemetry and health on Redis', () => {
  let bed: RedisTestBed;
  let services: RedisServices;
  let otel: TestOtel;

  beforeAll(() => {
    otel = registerOtel();
  });
  beforeEach(() => {
    bed = new RedisTestBed();
    services = new RedisServices(bed);
  });
  afterEach(async () => {
    await services.close();
    await bed.close();
    otel.exporter.reset();
  });
  afterAll(() => otel.shutdown());

  test.each(['streams', 'pubsub'] as const)('%s: one trace from a client emit through Redis into two services and a span the handler starts', async mode => {
    const orders = bed.channel('otel-orders');
    const payments = bed.channel('otel-payments');
    const paymentsClient = await services.client({ channel: payments, mode });
    const charged: Event[] = [];
    const order$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('PlaceOrder'),
        act(async e => {
          trace.getTracer('app').startActiveSpan('reserve stock', span => span.end());
          await paymentsClient.emit({ type: 'ChargePayment', payload: e.payload, metadata: e.metadata });
        }),
      );
    await services.service({ channel: orders, mode }, { effects: [order$] });
    await services.service({ channel: payments, mode }, { effects: [e$ => e$.pipe(matchEvent('ChargePayment'), act(e => void charged.push(e)))] });
    const client = await services.client({ channel: orders, mode });
    await client.emit({ type: 'PlaceOrder', payload: { id: 9 }, metadata: { correlationId: 'order-9' } });
    await waitFor(() => [`process ${orders}`, `send ${payments}`, `process ${payments}`].every(name => otel.spans().some(s => s.name === name)), 5_000, 'spans');

    const spans = otel.spans();
    const send = spanNamed(spans, `send ${orders}`);
    const process = spanNamed(spans, `process ${orders}`);
    const sendPayment = spanNamed(spans, `send ${payments}`);
    const processPayment = spanNamed(spans, `process ${payments}`);
    expect(new Set(spans.map(s => s.spanContext().traceId)).size).toBe(1);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(process)).toBe(send.spanContext().spanId);
    expect(parentOf(spanNamed(spans, 'reserve stock'))).toBe(process.spanContext().spanId);
    expect(parentOf(sendPayment)).toBe(process.spanContext().spanId);
    expect(parentOf(processPayment)).toBe(sendPayment.spanContext().spanId);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'redis',
      'messaging.destination.name': orders,
      'messaging.consumer.group.name': orders,
      'messaging.operation.type': 'process',
      'messaging.message.id': send.attributes['messaging.message.id'],
      'messaging.message.conversation_id': 'order-9',
    });
    expect(charged[0].metadata?.headers?.traceparent).toContain(sendPayment.spanContext().spanId);
  });

  test('health: up → degraded during an outage → up after it; down after close', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 6379 });
    await proxy.start();
    try {
      const channel = bed.channel('otel-health');
      const host = `redis://127.0.0.1:${proxy.port}`;
      const connection = await services.service({ channel, mode: 'streams', host }, { effects: [] });
      const client = await services.client({ channel, mode: 'streams', host });
      expect(connection.health()).toMatchObject({ status: 'up', transport: 'redis', channel, inFlight: 0 });
      expect(client.health().status).toBe('up');
      const reconnectsBefore = await otel.metric('tributary.connection.reconnects', { 'messaging.destination.name': channel });
      await proxy.stop();
      await waitFor(() => connection.health().status === 'degraded' && client.health().status === 'degraded', 10_000, 'degraded');
      await proxy.start();
      await waitFor(() => connection.health().status === 'up' && client.health().status === 'up', 20_000, 'up again');
      expect(await otel.metric('tributary.connection.reconnects', { 'messaging.destination.name': channel, 'messaging.system': 'redis' })).toBe(reconnectsBefore + 2);
      await connection.close();
      await client.close();
      expect(connection.health().status).toBe('down');
      expect(client.health().status).toBe('down');
    } finally {
      await proxy.stop();
    }
  });
});
