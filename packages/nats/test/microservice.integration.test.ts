import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { reply } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import { createTransportLayer, NatsNoRespondersError } from '@tributary/nats';
import { createTcpProxy } from '@tributary/testing/conformance';
import { firstValueFrom } from 'rxjs';
import { NATS_URL, NatsTestBed, sleep, waitFor } from './helpers/natsBed';

/** An effect recording each event it handles; `work` may throw. */
const recorder = (type: string, seen: Event[], work: (event: Event) => unknown = () => undefined): MsgEffect => event$ =>
  event$.pipe(
    matchEvent(type),
    act(async event => {
      seen.push(event);
      await work(event);
    }),
  );

describe('NATS microservice (JetStream)', () => {
  let bed: NatsTestBed;

  beforeEach(() => {
    bed = new NatsTestBed();
  });

  afterEach(async () => {
    await bed.close();
  });

  test('emit: each message is handled once by one of two competing instances', async () => {
    const channel = bed.channel('orders');
    const a: Event[] = [];
    const b: Event[] = [];
    await bed.service({ channel }, { effects: [recorder('OrderPlaced', a)] });
    await bed.service({ channel }, { effects: [recorder('OrderPlaced', b)] });
    const client = await bed.client({ channel });
    for (let n = 0; n < 40; n++) await client.emit({ type: 'OrderPlaced', payload: { n } });
    await waitFor(() => a.length + b.length === 40, 10_000, 'all handled');
    await sleep(300);
    const ns = [...a, ...b].map(event => (event.payload as { n: number }).n).sort((x, y) => x - y);
    expect(ns).toEqual(Array.from({ length: 40 }, (_, n) => n));
    await waitFor(async () => (await bed.backlog(channel)) === 0, 5_000, 'all acknowledged');
  });

  test('a message emitted before the service first started is handled (the stream keeps it)', async () => {
    const channel = bed.channel('early');
    const client = await bed.client({ channel });
    await client.emit({ type: 'OrderPlaced', payload: 1, metadata: { headers: { tenant: 'acme' } } });
    const seen: Event[] = [];
    await bed.service({ channel }, { effects: [recorder('OrderPlaced', seen)] });
    await waitFor(() => seen.length === 1, 10_000, 'backlog handled');
    expect(seen[0].metadata?.headers).toEqual({ tenant: 'acme' });
    expect(seen[0].metadata?.attempt).toBe(1);
  });

  test('send: request/reply over core NATS, concurrent calls get their own replies', async () => {
    const channel = bed.channel('math');
    const double$: MsgEffect = event$ => event$.pipe(matchEvent('Double'), act(event => reply(event)({ type: 'Doubled', payload: (event.payload as number) * 2 })));
    await bed.service({ channel }, { effects: [double$] });
    const client = await bed.client({ channel });
    const results = await Promise.all([1, 2, 3, 4, 5].map(n => firstValueFrom(client.send({ type: 'Double', payload: n }))));
    expect(results.map(result => result.payload)).toEqual([2, 4, 6, 8, 10]);
  });

  test('send to a channel nobody serves fails at once with NatsNoRespondersError', async () => {
    const channel = bed.channel('nobody');
    const client = await bed.client({ channel });
    const started = Date.now();
    const error = await firstValueFrom(client.send({ type: 'Ping' })).catch(e => e);
    expect(error).toBeInstanceOf(NatsNoRespondersError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('publish: fan-out to every subscribed service by pattern, not to others', async () => {
    const a = bed.channel('billing');
    const b = bed.channel('shipping');
    const c = bed.channel('audit');
    const seenA: Event[] = [];
    const seenB: Event[] = [];
    const seenC: Event[] = [];
    const type = `payment.captured${bed.id}`;
    await bed.service({ channel: a, subscribe: [`payment.*`] }, { effects: [recorder(type, seenA)] });
    await bed.service({ channel: b, subscribe: [type] }, { effects: [recorder(type, seenB)] });
    await bed.service({ channel: c, subscribe: ['order.#'] }, { effects: [recorder(type, seenC)] });
    const client = await bed.client({ channel: a });
    await client.publish({ type, payload: 7 });
    await waitFor(() => seenA.length === 1 && seenB.length === 1, 10_000, 'both subscribers');
    await sleep(300);
    expect(seenC).toEqual([]);
    expect(seenA[0].payload).toBe(7);
  });

  test('retry with backoff, then dead letter with the error headers and the original headers', async () => {
    const channel = bed.channel('flaky');
    const seen: Event[] = [];
    const failing = recorder('Charge', seen, () => {
      const error = new Error('gateway down');
      error.name = 'GatewayError';
      throw error;
    });
    await bed.service({ channel, retry: { maxAttempts: 3, initialDelay: 100 } }, { effects: [failing] });
    const client = await bed.client({ channel });
    await client.emit({ type: 'Charge', payload: 42, metadata: { headers: { tenant: 'acme' } } });
    await waitFor(async () => (await bed.deadLetters(channel)).length === 1, 10_000, 'dead-lettered');
    expect(seen.map(event => event.metadata?.attempt)).toEqual([1, 2, 3]);
    const [dead] = await bed.deadLetters(channel);
    expect(dead.subject).toBe(`${channel}.dead-letter`);
    expect(dead.headers).toMatchObject({
      tenant: 'acme',
      'x-error-name': 'GatewayError',
      'x-error-message': 'gateway down',
      'x-attempts': '3',
      'x-dead-letter-reason': 'failed',
      'x-type': 'Charge',
    });
    expect(JSON.parse(dead.body.toString())).toMatchObject({ type: 'Charge', payload: 42 });
    await waitFor(async () => (await bed.backlog(channel)) === 0, 5_000, 'nothing left');
  });

  test('malformed bytes are dead-lettered (reason malformed) while good messages flow', async () => {
    const channel = bed.channel('raw');
    const seen: Event[] = [];
    await bed.service({ channel }, { effects: [recorder('Good', seen)] });
    await bed.injectRaw(channel, 'not json at all', { origin: 'legacy' });
    const client = await bed.client({ channel });
    await client.emit({ type: 'Good', payload: 1 });
    await waitFor(async () => seen.length === 1 && (await bed.deadLetters(channel)).length === 1, 10_000, 'good handled, bad dead-lettered');
    const [dead] = await bed.deadLetters(channel);
    expect(dead.headers).toMatchObject({ origin: 'legacy', 'x-dead-letter-reason': 'malformed', 'x-error-name': 'MalformedMessageError' });
    expect(dead.body.toString()).toBe('not json at all');
  });

  test('a message re-published with the same id (Nats-Msg-Id) is stored once', async () => {
    const channel = bed.channel('dedupe');
    const seen: Event[] = [];
    await bed.service({ channel }, { effects: [recorder('Once', seen)] });
    const connection = await createTransportLayer(bed.options({ channel })).connect({ isConsumer: false });
    try {
      const message = { data: Buffer.from(JSON.stringify({ type: 'Once', payload: 1 })), type: 'Once', messageId: `id-${bed.id}` };
      await connection.emitMessage(channel, message);
      await connection.emitMessage(channel, message);
    } finally {
      await connection.close();
    }
    await waitFor(() => seen.length === 1, 10_000, 'handled');
    await sleep(500);
    expect(seen).toHaveLength(1);
  });

  test('a handler slower than ackWait is kept alive (working) and not redelivered', async () => {
    const channel = bed.channel('slow');
    const seen: Event[] = [];
    await bed.service({ channel, ackWait: 600 }, { effects: [recorder('Slow', seen, () => sleep(2_000))] });
    const client = await bed.client({ channel });
    await client.emit({ type: 'Slow' });
    await waitFor(async () => seen.length === 1 && (await bed.backlog(channel)) === 0, 10_000, 'handled and acknowledged');
    expect(seen).toHaveLength(1);
  });

  test('status$ follows the client\'s own reconnection: disconnected, reconnecting, connected', async () => {
    const channel = bed.channel('status');
    const url = new URL(NATS_URL);
    const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 4222) });
    try {
      const connection = await createTransportLayer(bed.options({ channel, host: `nats://127.0.0.1:${proxy.port}` })).connect({ isConsumer: false });
      const states: string[] = [];
      connection.status$.subscribe(state => states.push(state));
      await proxy.cut();
      await waitFor(() => states.includes('disconnected'), 5_000, 'disconnected');
      await proxy.restore();
      await waitFor(() => states[states.length - 1] === 'connected', 10_000, 'connected again');
      await connection.close();
      expect(states[0]).toBe('connected');
      expect(states).toContain('disconnected');
      expect(states[states.length - 1]).toBe('closed');
    } finally {
      await proxy.close();
    }
  });

  test('a durable consumer deleted on the server is created again and consuming resumes', async () => {
    const channel = bed.channel('recreate');
    const seen: Event[] = [];
    await bed.service({ channel }, { effects: [recorder('Tick', seen)] });
    const client = await bed.client({ channel });
    await client.emit({ type: 'Tick', payload: 1 });
    await waitFor(() => seen.length === 1, 10_000, 'first handled');
    const { jsm } = await bed.manager();
    const stream = await jsm.streams.find(channel);
    await jsm.consumers.delete(stream, stream);
    await waitFor(async () => (await jsm.consumers.info(stream, stream).then(() => true, () => false)), 20_000, 'the consumer created again');
    await client.emit({ type: 'Tick', payload: 2 });
    await waitFor(() => seen.length === 2, 20_000, 'handled after the consumer came back');
  }, 45_000);

  test('prefetch bounds what one instance holds unsettled', async () => {
    const channel = bed.channel('bounded');
    let running = 0;
    let most = 0;
    const seen: Event[] = [];
    const slow = recorder('Job', seen, async () => {
      most = Math.max(most, ++running);
      await sleep(100);
      running--;
    });
    const client = await bed.client({ channel });
    for (let n = 0; n < 30; n++) await client.emit({ type: 'Job', payload: n });
    await bed.service({ channel, prefetch: 4 }, { effects: [slow] });
    await waitFor(() => seen.length === 30, 15_000, 'all handled');
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });
});
