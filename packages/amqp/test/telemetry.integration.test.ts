/**
 * OpenTelemetry and health on RabbitMQ: one trace from a client's emit through two services,
 * and health during a real outage made with a TCP proxy between the service and the broker.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { eventually, uniqueQueue } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';
import { parentOf, registerOtel, spanNamed, TestOtel } from '../../messaging/test/otel';
import { Services } from './helpers/services';
import { TcpProxy } from './helpers/tcpProxy';

jest.setTimeout(60_000);

describe('OpenTelemetry and health on AMQP', () => {
  const broker = useSharedBroker();
  const services = new Services();
  let otel: TestOtel;

  beforeAll(() => {
    otel = registerOtel();
  });
  afterEach(async () => {
    await services.stopAll(broker.admin);
    otel.exporter.reset();
  });
  afterAll(() => otel.shutdown());

  it('one trace from a client emit through RabbitMQ into two services and a span the handler starts', async () => {
    const orders = uniqueQueue('otel.orders');
    const payments = uniqueQueue('otel.payments');
    const paymentsClient = await services.client(payments);
    const charged: Event[] = [];
    const order$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('PlaceOrder'),
        act(async e => {
          trace.getTracer('app').startActiveSpan('reserve stock', span => span.end());
          await paymentsClient.emit({ type: 'ChargePayment', payload: e.payload, metadata: e.metadata });
        }),
      );
    await services.service(orders, { effects: [order$] });
    await services.service(payments, { effects: [e$ => e$.pipe(matchEvent('ChargePayment'), act(e => void charged.push(e)))] });
    const client = await services.client(orders);
    await client.emit({ type: 'PlaceOrder', payload: { id: 7 }, metadata: { correlationId: 'order-7' } });
    await eventually(() => [`process ${orders}`, `send ${payments}`, `process ${payments}`].every(name => otel.spans().some(s => s.name === name)));

    const spans = otel.spans();
    const send = spanNamed(spans, `send ${orders}`);
    const process = spanNamed(spans, `process ${orders}`);
    const reserve = spanNamed(spans, 'reserve stock');
    const sendPayment = spanNamed(spans, `send ${payments}`);
    const processPayment = spanNamed(spans, `process ${payments}`);
    expect(new Set(spans.map(s => s.spanContext().traceId)).size).toBe(1);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(process)).toBe(send.spanContext().spanId);
    expect(parentOf(reserve)).toBe(process.spanContext().spanId);
    expect(parentOf(sendPayment)).toBe(process.spanContext().spanId);
    expect(parentOf(processPayment)).toBe(sendPayment.spanContext().spanId);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': orders,
      'messaging.consumer.group.name': orders,
      'messaging.operation.type': 'process',
      'messaging.message.id': send.attributes['messaging.message.id'],
      'messaging.message.conversation_id': 'order-7',
    });
    expect(send.attributes).toMatchObject({ 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send' });
    // the context crossed the broker in AMQP headers
    expect(charged[0].metadata?.headers?.traceparent).toMatch(new RegExp(`^00-${send.spanContext().traceId}-${sendPayment.spanContext().spanId}-01$`));
  });

  it('health: up → degraded during an outage → up after it (a reconnect counted); down after close', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 5672 });
    await proxy.start();
    try {
      const queue = uniqueQueue('otel.health');
      const host = `amqp://guest:guest@127.0.0.1:${proxy.port}`;
      const seen: number[] = [];
      const connection = await services.service(queue, { effects: [e$ => e$.pipe(matchEvent('Tick'), act(e => void seen.push(e.payload as number)))] }, { host, reconnect: { initialDelay: 50, maxDelay: 300 } });
      const client = await services.client(queue);
      expect(connection.health()).toMatchObject({ status: 'up', transport: 'amqp', channel: queue, inFlight: 0 });
      const reconnectsBefore = await otel.metric('tributary.connection.reconnects', { 'messaging.destination.name': queue });

      await proxy.stop();
      await eventually(() => connection.health().status === 'degraded', 10_000);
      const degradedSince = connection.health().since;
      await client.emit({ type: 'Tick', payload: 1 }); // the client goes straight to the broker

      await proxy.start();
      await eventually(() => connection.health().status === 'up', 20_000);
      expect(connection.health().since).toBeGreaterThanOrEqual(degradedSince);
      await eventually(() => seen.includes(1), 10_000);
      expect(await otel.metric('tributary.connection.reconnects', { 'messaging.destination.name': queue, 'messaging.system': 'rabbitmq' })).toBe(reconnectsBefore + 1);

      await connection.close();
      expect(connection.health().status).toBe('down');
    } finally {
      await proxy.stop();
    }
  });
});
