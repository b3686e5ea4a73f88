import { SpanKind, trace } from '@opentelemetry/api';
import { act, bindTo, createLogger, Event, LoggerLevel, LoggerOptions, LoggerToken, matchEvent } from '@tributary/core';
import { createMicroservice, LocalBroker, messagingListener, MessagingListenerConfig, MicroserviceConnection, MsgEffect, reply, Transport, withTraceIds } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { eventually, localClient, uniqueChannel } from './helpers';
import { parentOf, registerOtel, spanNamed, TestOtel } from './otel';

describe('OpenTelemetry on the local transport', () => {
  const broker = new LocalBroker();
  let otel: TestOtel;
  const open: Array<{ close: () => Promise<void> }> = [];

  beforeAll(() => {
    otel = registerOtel();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(c => c.close()));
    otel.exporter.reset();
  });
  afterAll(async () => {
    broker.reset();
    await otel.shutdown();
  });

  const start = async (channel: string, config: MessagingListenerConfig, options: Record<string, unknown> = {}, logs?: LoggerOptions[]): Promise<MicroserviceConnection> => {
    const microservice = await createMicroservice({
      transport: Transport.LOCAL,
      options: { channel, broker, ...options },
      listener: messagingListener(config),
      dependencies: logs ? [bindTo(LoggerToken)(() => (record: LoggerOptions) => () => void logs.push(record))] : [],
    });
    const connection = await microservice();
    open.push(connection);
    return connection;
  };
  const client = async (channel: string) => {
    const c = await localClient(broker, channel);
    open.push(c);
    return c;
  };

  it('one trace from a client emit through two services into spans the handler starts', async () => {
    const orders = uniqueChannel('orders');
    const payments = uniqueChannel('payments');
    const paymentsClient = await client(payments);
    const charged: Event[] = [];
    const order$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('PlaceOrder'),
        act(async e => {
          trace.getTracer('app').startActiveSpan('reserve stock', span => span.end());
          await new Promise(resolve => setTimeout(resolve, 5));
          // after an await: still in the CONSUMER span's context
          trace.getTracer('app').startActiveSpan('after await', span => span.end());
          await paymentsClient.emit({ type: 'ChargePayment', payload: e.payload, metadata: e.metadata });
        }),
      );
    const payment$: MsgEffect = e$ => e$.pipe(matchEvent('ChargePayment'), act(e => void charged.push(e)));
    await start(orders, { effects: [order$] });
    await start(payments, { effects: [payment$] });
    const ordersClient = await client(orders);
    await ordersClient.emit({ type: 'PlaceOrder', payload: { id: 1 }, metadata: { correlationId: 'order-1' } });
    await eventually(() => [`process ${orders}`, `send ${payments}`, `process ${payments}`].every(name => otel.spans().some(s => s.name === name)));

    const spans = otel.spans();
    const send = spanNamed(spans, `send ${orders}`);
    const process = spanNamed(spans, `process ${orders}`);
    const reserve = spanNamed(spans, 'reserve stock');
    const afterAwait = spanNamed(spans, 'after await');
    const sendPayment = spanNamed(spans, `send ${payments}`);
    const processPayment = spanNamed(spans, `process ${payments}`);
    expect(new Set(spans.map(s => s.spanContext().traceId)).size).toBe(1);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(send)).toBeUndefined();
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(process)).toBe(send.spanContext().spanId);
    expect(parentOf(reserve)).toBe(process.spanContext().spanId);
    expect(parentOf(afterAwait)).toBe(process.spanContext().spanId);
    expect(parentOf(sendPayment)).toBe(process.spanContext().spanId);
    expect(parentOf(processPayment)).toBe(sendPayment.spanContext().spanId);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'local',
      'messaging.destination.name': orders,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.message.conversation_id': 'order-1',
    });
    expect(process.attributes).toMatchObject({
      'messaging.system': 'local',
      'messaging.destination.name': orders,
      'messaging.consumer.group.name': orders,
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.message.id': send.attributes['messaging.message.id'],
      'messaging.message.conversation_id': 'order-1',
      'tributary.delivery.attempt': 1,
    });
    const settle = spanNamed(spans, `ack ${orders}`);
    expect(settle.attributes['messaging.operation.type']).toBe('settle');
    expect(parentOf(settle)).toBe(process.spanContext().spanId);
    // the W3C headers travelled in metadata.headers
    expect(charged[0].metadata?.headers?.traceparent).toContain(sendPayment.spanContext().spanId);
  });

  it('a reply continues the trace of the request', async () => {
    const channel = uniqueChannel('rpc');
    await start(channel, { effects: [e$ => e$.pipe(matchEvent('Ping'), act(e => reply(e)({ type: 'Pong', payload: e.payload })))] });
    const c = await client(channel);
    const pong = await firstValueFrom(c.send({ type: 'Ping', payload: 1 }));
    expect(pong.type).toBe('Pong');
    await eventually(() => otel.spans().filter(s => s.kind === SpanKind.PRODUCER).length === 2);
    const spans = otel.spans();
    const request = spanNamed(spans, `send ${channel}`);
    const process = spanNamed(spans, `process ${channel}`);
    const replySpan = spans.find(s => s.kind === SpanKind.PRODUCER && s !== request)!;
    expect(parentOf(process)).toBe(request.spanContext().spanId);
    expect(parentOf(replySpan)).toBe(process.spanContext().spanId);
    expect(replySpan.spanContext().traceId).toBe(request.spanContext().traceId);
  });

  it('a retry and a dead letter are span events; failures set the error status and error.type', async () => {
    const channel = uniqueChannel('fail');
    await start(channel, { effects: [e$ => e$.pipe(matchEvent('Boom'), act(() => { throw new TypeError('no such order'); }))] }, { retry: { maxAttempts: 2, initialDelay: 5, maxDelay: 5 } });
    const c = await client(channel);
    await c.emit({ type: 'Boom' });
    await eventually(() => otel.spans().filter(s => s.name === `process ${channel}`).length === 2);
    const first = spanNamed(otel.spans(), `process ${channel}`, 0);
    const second = spanNamed(otel.spans(), `process ${channel}`, 1);
    expect(first.events.map(e => e.name)).toEqual(['retry']);
    expect(first.events[0].attributes).toMatchObject({ 'tributary.delivery.attempt': 2 });
    expect(second.events.map(e => e.name)).toEqual(['dead_letter']);
    expect(second.events[0].attributes).toMatchObject({ 'tributary.dead_letter.reason': 'failed', 'tributary.delivery.attempt': 2 });
    for (const span of [first, second]) {
      expect(span.status).toMatchObject({ code: 2, message: 'no such order' });
      expect(span.attributes['error.type']).toBe('TypeError');
    }
    expect(second.attributes['tributary.delivery.attempt']).toBe(2);
    expect(parentOf(second)).toBe(parentOf(first)); // both attempts are children of the one send
  });

  it('metrics after a known workload', async () => {
    const channel = uniqueChannel('metrics');
    const where = { 'messaging.destination.name': channel };
    const before = await otel.metric('messaging.client.sent.messages', where);
    expect(before).toBe(0);
    await start(
      channel,
      { effects: [e$ => e$.pipe(matchEvent('Work'), act(e => { if (e.payload === 'bad') throw new Error('bad'); }))] },
      { retry: { maxAttempts: 2, initialDelay: 5, maxDelay: 5 } },
    );
    const c = await client(channel);
    for (let i = 0; i < 5; i++) await c.emit({ type: 'Work', payload: i });
    await c.emit({ type: 'Work', payload: 'bad' });
    await eventually(async () => (await otel.metric('tributary.messages.dead_lettered', where)) === 1);
    expect(await otel.metric('messaging.client.sent.messages', where)).toBe(6);
    expect(await otel.metric('messaging.client.consumed.messages', where)).toBe(7); // 5 + 2 attempts
    expect(await otel.metric('messaging.process.duration', where)).toBe(7);
    expect(await otel.metric('messaging.process.duration', { ...where, 'error.type': 'Error' })).toBe(2);
    expect(await otel.metric('tributary.messages.retried', where)).toBe(1);
    expect(await otel.metric('tributary.messages.dead_lettered', { ...where, 'tributary.dead_letter.reason': 'failed' })).toBe(1);
    expect(await otel.metric('tributary.messages.in_flight', where)).toBe(0);
  });

  it('in flight is observed while a handler runs', async () => {
    const channel = uniqueChannel('inflight');
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    await start(channel, { effects: [e$ => e$.pipe(matchEvent('Slow'), act(() => gate))] });
    const c = await client(channel);
    await c.emit({ type: 'Slow' });
    await c.emit({ type: 'Slow' });
    await eventually(async () => (await otel.metric('tributary.messages.in_flight', { 'messaging.destination.name': channel })) === 2);
    release();
    await eventually(async () => (await otel.metric('tributary.messages.in_flight', { 'messaging.destination.name': channel })) === 0);
  });

  it('debug logs every received and settled message with id, type, attempt and trace ids; info on drain and close; slow handlers warn', async () => {
    const channel = uniqueChannel('logs');
    const logs: LoggerOptions[] = [];
    const connection = await start(
      channel,
      { effects: [e$ => e$.pipe(matchEvent('Slow'), act(() => new Promise(resolve => setTimeout(resolve, 60))))] },
      { slowHandlerWarning: 30 },
      logs,
    );
    const c = await client(channel);
    await c.emit({ type: 'Slow', metadata: { id: 'm-1' } });
    await eventually(() => logs.some(l => l.message.includes('settled (ack)')));
    const received = logs.find(l => l.message.includes('"Slow" received'))!;
    expect(received.level).toBe(LoggerLevel.DEBUG);
    expect(received.data).toMatchObject({ id: 'm-1', type: 'Slow', attempt: 1, trace_id: expect.stringMatching(/^[0-9a-f]{32}$/), span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const process = spanNamed(otel.spans(), `process ${channel}`);
    expect(received.data?.trace_id).toBe(process.spanContext().traceId);
    expect(received.data?.span_id).toBe(process.spanContext().spanId);
    const slow = logs.find(l => l.message.includes('slow handler'))!;
    expect(slow.level).toBe(LoggerLevel.WARN);
    expect(slow.data).toMatchObject({ id: 'm-1', type: 'Slow' });
    await connection.close();
    const info = logs.filter(l => l.level === LoggerLevel.INFO).map(l => l.message);
    expect(info).toEqual(expect.arrayContaining([expect.stringContaining('closing: draining 0 in-flight'), expect.stringContaining('closed')]));
  });

  it("withTraceIds: the application's own log records in a handler carry the trace ids; outside a span they pass unchanged", async () => {
    const channel = uniqueChannel('applogs');
    const lines: string[] = [];
    const logger = withTraceIds(createLogger({ level: 'info', format: 'json', write: line => void lines.push(line) }));
    await start(channel, { effects: [e$ => e$.pipe(matchEvent('Hello'), act(() => logger({ tag: 'app', type: 'Greeter', message: 'hello', level: LoggerLevel.INFO, data: { n: 1 } })()))] });
    const c = await client(channel);
    await c.emit({ type: 'Hello' });
    await eventually(() => lines.length === 1);
    const process = spanNamed(otel.spans(), `process ${channel}`);
    expect(JSON.parse(lines[0])).toMatchObject({ message: 'hello', n: 1, trace_id: process.spanContext().traceId, span_id: process.spanContext().spanId });
    logger({ tag: 'app', type: 'Greeter', message: 'outside', level: LoggerLevel.INFO })();
    expect(JSON.parse(lines[1])).not.toHaveProperty('trace_id');
  });
});
