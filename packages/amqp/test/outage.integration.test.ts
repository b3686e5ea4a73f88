/**
 * Connection loss through the transport SPI: a real broker outage (`rabbitmqctl stop_app`,
 * always followed by `start_app` in `finally`) and connections killed from the broker side
 * (`rabbitmqctl close_connection`). This file holds the broker lock exclusively, so no other
 * amqp test file runs during its outages.
 */
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { BrokerUnavailableError, ConnectionStatus } from '@tributary/messaging';
import { AmqpConnectionLostError, createTransportLayer } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { Subscription } from 'rxjs';
import { AMQP_URL, Admin, closeConnectionsNamed, eventually, uniqueQueue, wait, withBrokerStopped } from './helpers/broker';
import { ownBroker } from './helpers/brokerLock';

jest.setTimeout(60_000);

const body = (type: string, payload?: unknown): Buffer => Buffer.from(JSON.stringify({ type, payload }));
const payloadOf = (m: TransportMessage): any => JSON.parse((m.data as Buffer).toString()).payload;

describe('AMQP connection loss (SPI)', () => {
  let admin: Admin | undefined;
  let release: () => void;
  const declared: AmqpStrategyOptions[] = [];
  const open: TransportLayerConnection[] = [];
  const subscriptions: Subscription[] = [];

  const options = (queue: string, extra: Partial<AmqpStrategyOptions> = {}): AmqpStrategyOptions => {
    const full = { host: AMQP_URL, queue, timeout: 5000, reconnect: { initialDelay: 50, maxDelay: 500 }, ...extra };
    declared.push(full);
    return full;
  };

  const connect = async (o: AmqpStrategyOptions, isConsumer: boolean) => {
    const connection = await createTransportLayer(o).connect({ isConsumer });
    open.push(connection);
    return connection;
  };

  beforeAll(async () => {
    release = await ownBroker();
  }, 160_000);

  afterEach(async () => {
    subscriptions.splice(0).forEach(s => s.unsubscribe());
    await Promise.all(open.splice(0).map(c => c.close()));
    admin ??= await Admin.open();
    await admin.deleteTopology(...declared.splice(0));
  });

  afterAll(async () => {
    await admin?.close();
    release?.();
  });

  it('survives a broker outage: status, waiting emits, lost RPCs, resumed consuming, bounded waits', async () => {
    const queue = uniqueQueue('outage');
    const service = await connect(options(queue), true);
    const client = await connect(options(queue), false);
    const impatient = await connect(options(queue, { timeout: 800 }), false);
    const statuses: string[] = [];
    service.status$.subscribe(s => statuses.push(String(s)));
    const received: TransportMessage[] = [];
    let replyToRequests = false;
    subscriptions.push(
      service.message$.subscribe(m => {
        received.push(m);
        if (m.replyTo && replyToRequests) void service.emitMessage(m.replyTo, { data: body('Pong', payloadOf(m)), correlationId: m.correlationId });
        service.ackMessage(m);
      }),
    );
    await client.emitMessage(queue, { data: body('Before', 0) });
    await eventually(() => received.length === 1);
    // a call waiting for its reply when the connection drops
    const rpc = client.sendMessage(queue, { data: body('Ping', 'lost') });
    await eventually(() => received.length === 2);
    const rpcOutcome = rpc.catch(e => e);

    let duringOutage!: Promise<boolean>;
    let bounded!: Promise<unknown>;
    let connectDuring!: Promise<TransportLayerConnection>;
    const started = Date.now();
    await withBrokerStopped(async () => {
      await eventually(() => statuses.includes(ConnectionStatus.RECONNECTING), 5000);
      duringOutage = client.emitMessage(queue, { data: body('During', 1) });
      bounded = impatient.emitMessage(queue, { data: body('Never', 2) }).catch(e => e);
      connectDuring = createTransportLayer(options(queue, { timeout: 20_000 })).connect({ isConsumer: false });
      // the impatient emit gives up while the broker is still down
      const error = await bounded;
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    });

    // the lost call fails at once with a clear error, not after its timeout
    expect(await rpcOutcome).toBeInstanceOf(AmqpConnectionLostError);
    // the emit made during the outage resolves once the broker is back
    await expect(duringOutage).resolves.toBe(true);
    const late = await connectDuring;
    open.push(late);
    await eventually(() => statuses[statuses.length - 1] === ConnectionStatus.CONNECTED, 10_000);
    expect(statuses).toEqual([ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED, ConnectionStatus.RECONNECTING, ConnectionStatus.CONNECTED]);
    // consuming resumed by itself; the emit that gave up was not delivered
    await eventually(() => received.some(m => payloadOf(m) === 1), 10_000);
    expect(received.some(m => payloadOf(m) === 2)).toBe(false);
    // a new call works over a new reply channel
    replyToRequests = true;
    const reply = await client.sendMessage(queue, { data: body('Ping', 'again') });
    expect(payloadOf(reply)).toBe('again');
    await late.emitMessage(queue, { data: body('Late', 3) });
    await eventually(() => received.some(m => payloadOf(m) === 3));
  });

  it('resumes exactly one consumer after several reconnections', async () => {
    const queue = uniqueQueue('reconnects');
    const service = await connect(options(queue), true);
    const statuses: string[] = [];
    service.status$.subscribe(s => statuses.push(String(s)));
    const received: TransportMessage[] = [];
    subscriptions.push(service.message$.subscribe(m => (received.push(m), service.ackMessage(m))));
    admin ??= await Admin.open();
    for (let i = 1; i <= 3; i++) {
      expect(await closeConnectionsNamed(`tributary service ${queue}`)).toBe(1);
      await eventually(() => statuses.filter(s => s === ConnectionStatus.CONNECTED).length === i + 1, 10_000);
    }
    await eventually(async () => (await admin!.inspect(queue))?.consumers === 1, 5000);
    await wait(200);
    expect((await admin.inspect(queue))?.consumers).toBe(1);
    for (let i = 0; i < 10; i++) await service.emitMessage(queue, { data: body('N', i) });
    await eventually(() => received.length === 10);
    await wait(100);
    expect(received).toHaveLength(10);
  });

  it('ignores settling a message whose channel died; the broker redelivers it, once', async () => {
    const queue = uniqueQueue('stale');
    const service = await connect(options(queue), true);
    const errors: Error[] = [];
    service.error$.subscribe(e => errors.push(e));
    const received: TransportMessage[] = [];
    subscriptions.push(service.message$.subscribe(m => received.push(m)));
    await service.emitMessage(queue, { data: body('A', 'ack') });
    await service.emitMessage(queue, { data: body('B', 'retry') });
    await eventually(() => received.length === 2);
    await closeConnectionsNamed(`tributary service ${queue}`);
    await eventually(() => received.length === 4, 10_000);
    // settling the first deliveries now is a no-op, not a crash or a duplicate
    expect(() => service.ackMessage(received[0])).not.toThrow();
    await expect(service.retryMessage!(received[1], { delay: 0, attempt: 2, error: { name: 'E', message: 'e' } })).resolves.toBeUndefined();
    await expect(service.deadLetterMessage(received[1], { reason: 'failed', attempts: 1 })).resolves.toBeUndefined();
    const redelivered = received.slice(2);
    expect(redelivered.map(m => payloadOf(m)).sort()).toEqual(['ack', 'retry']);
    expect(redelivered.every(m => m.attempt === 2)).toBe(true);
    redelivered.forEach(m => service.ackMessage(m));
    await wait(300);
    expect(received).toHaveLength(4);
    expect(errors.filter(e => !/CONNECTION_FORCED|connection killed/i.test(e.message))).toEqual([]);
  });

  it('waits for the broker on the first connect, up to timeout, then rejects with BrokerUnavailableError', async () => {
    const queue = uniqueQueue('first-connect');
    await withBrokerStopped(async () => {
      const started = Date.now();
      const error = await createTransportLayer(options(queue, { timeout: 700 }))
        .connect({ isConsumer: false })
        .catch(e => e);
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });
});
