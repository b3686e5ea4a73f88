/**
 * Request/reply through the transport SPI over RabbitMQ direct reply-to: one long-lived
 * reply channel per connection, no queue per call, nothing left behind by timeouts.
 */
import type { TransportLayerConnection, TransportMessage } from '@tributary/messaging/transport';
import { ConnectionClosedError, TimeoutError } from '@tributary/messaging';
import { AmqpUnroutableError, createTransportLayer } from '@tributary/amqp';
import type { AmqpStrategyOptions } from '@tributary/amqp';
import { Subscription } from 'rxjs';
import { AMQP_URL, eventually, rabbitmqctl, uniqueQueue, wait } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';

const body = (type: string, payload?: unknown): Buffer => Buffer.from(JSON.stringify({ type, payload }));
const payloadOf = (m: TransportMessage): any => JSON.parse((m.data as Buffer).toString()).payload;
const timers = (): number => process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;

/** Channels the broker counts on the connections named `name`. */
const channelsOf = async (name: string): Promise<number> => {
  const out = await rabbitmqctl('list_connections', 'client_properties', 'channels', '--no-table-headers', '-q');
  const line = out.split('\n').find(l => l.includes(name));
  return line ? Number(line.trim().split(/\s+/).pop()) : 0;
};

describe('AMQP request/reply (SPI)', () => {
  const broker = useSharedBroker();
  const declared: AmqpStrategyOptions[] = [];
  const open: TransportLayerConnection[] = [];
  const subscriptions: Subscription[] = [];

  const connect = async (options: Partial<AmqpStrategyOptions> & { queue: string }, isConsumer: boolean) => {
    const full = { host: AMQP_URL, timeout: 5000, ...options };
    declared.push(full);
    const connection = await createTransportLayer(full).connect({ isConsumer });
    open.push(connection);
    return connection;
  };

  /** A service that doubles `payload` and replies (or stays silent for `silent`). */
  const startDoubler = async (queue: string, requests: TransportMessage[] = []) => {
    const service = await connect({ queue }, true);
    subscriptions.push(
      service.message$.subscribe(async m => {
        requests.push(m);
        const n = payloadOf(m);
        if (n !== 'silent') {
          await service.emitMessage(m.replyTo!, { data: body('Doubled', n * 2), correlationId: m.correlationId, type: 'Doubled' });
        }
        service.ackMessage(m);
      }),
    );
    return service;
  };


  afterEach(async () => {
    subscriptions.splice(0).forEach(s => s.unsubscribe());
    await Promise.all(open.splice(0).map(c => c.close()));
    await broker.admin.deleteTopology(...declared.splice(0));
  });


  it('sends a request with replyTo = direct reply-to and gets the reply', async () => {
    const queue = uniqueQueue('rpc');
    const requests: TransportMessage[] = [];
    await startDoubler(queue, requests);
    const client = await connect({ queue }, false);
    const reply = await client.sendMessage(queue, { data: body('Double', 21), type: 'Double', messageId: 'req-1' });
    expect(payloadOf(reply)).toBe(42);
    expect(reply.correlationId).toBe(requests[0].correlationId);
    expect(requests[0].replyTo).toMatch(/^amq\.rabbitmq\.reply-to\./);
    expect(requests[0].messageId).toBe('req-1');
  });

  it('matches 200 concurrent calls to their own replies over one reply channel', async () => {
    const queue = uniqueQueue('rpc-many');
    await startDoubler(queue);
    const client = await connect({ queue }, false);
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => client.sendMessage(queue, { data: body('Double', i) })));
    expect(replies.map(payloadOf)).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    // the client's channels: the publish channel and the one reply channel
    expect(await channelsOf(`tributary client ${queue}`)).toBe(2);
    expect((client as any).pendingReplies).toBe(0);
  });

  it('gives concurrent calls that reuse a correlationId their own replies', async () => {
    const queue = uniqueQueue('rpc-corr');
    await startDoubler(queue);
    const client = await connect({ queue }, false);
    const [a, b] = await Promise.all([
      client.sendMessage(queue, { data: body('Double', 1), correlationId: 'same' }),
      client.sendMessage(queue, { data: body('Double', 2), correlationId: 'same' }),
    ]);
    expect([payloadOf(a), payloadOf(b)]).toEqual([2, 4]);
  });

  it('times out with TimeoutError, leaving no pending call or timer, and a late reply harms nothing', async () => {
    const queue = uniqueQueue('rpc-timeout');
    const requests: TransportMessage[] = [];
    const service = await startDoubler(queue, requests);
    const client = await connect({ queue }, false);
    await client.sendMessage(queue, { data: body('Double', 1) }); // reply channel is up
    const before = timers();
    const errors = await Promise.all(
      Array.from({ length: 5 }, () => client.sendMessage(queue, { data: body('Double', 'silent'), type: 'Double' }, { timeout: 300 }).catch(e => e)),
    );
    errors.forEach(error => expect(error).toBeInstanceOf(TimeoutError));
    expect(errors[0].message).toContain('Double');
    expect((client as any).pendingReplies).toBe(0);
    // a timer left per call would show as +5 (heartbeats may re-arm one meanwhile)
    expect(timers()).toBeLessThanOrEqual(before + 1);
    // the reply arrives after the caller gave up: dropped
    await service.emitMessage(requests[1].replyTo!, { data: body('Late', 0), correlationId: requests[1].correlationId });
    await wait(100);
    const reply = await client.sendMessage(queue, { data: body('Double', 5) });
    expect(payloadOf(reply)).toBe(10);
    expect(await channelsOf(`tributary client ${queue}`)).toBe(2);
  });

  it('rejects at once a call to a queue that does not exist', async () => {
    const queue = uniqueQueue('rpc-none');
    const client = await connect({ queue }, false);
    const started = Date.now();
    await expect(client.sendMessage(uniqueQueue('missing'), { data: body('X') })).rejects.toBeInstanceOf(AmqpUnroutableError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((client as any).pendingReplies).toBe(0);
  });

  it('rejects pending calls with ConnectionClosedError on close', async () => {
    const queue = uniqueQueue('rpc-close');
    const requests: TransportMessage[] = [];
    await startDoubler(queue, requests);
    const client = await connect({ queue }, false);
    const pending = client.sendMessage(queue, { data: body('Double', 'silent') });
    await eventually(() => requests.length === 1);
    await client.close();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    expect((client as any).pendingReplies).toBe(0);
  });
});
