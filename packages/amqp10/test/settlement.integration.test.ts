/**
 * Two settlements in one tick. rhea 3.0.5 writes the dispositions of one tick as ranges and
 * merges `accept(A)` + `release(B)` into one "accepted A..B": B is lost. The transport settles
 * through a queue that carries one outcome per event-loop turn; these tests show both the
 * bug (raw rhea, so that a fixed rhea makes the first test fail and the queue can go) and the
 * transport keeping B, against the real broker.
 */
import { create_container } from 'rhea';
import type { Connection, Delivery, EventContext, Receiver } from 'rhea';
import { createTransportLayer } from '@tributary/amqp10';
import type { TransportMessage } from '@tributary/messaging/transport';
import { ArtemisAdmin, ARTEMIS_URL, eventually, uniqueChannel, wait } from './helpers/artemis';

const admin = new ArtemisAdmin();
const channels: string[] = [];
const channel = (label: string): string => {
  const name = uniqueChannel(label);
  channels.push(name);
  return name;
};

beforeAll(() => admin.open());
afterAll(async () => {
  for (const name of channels) await admin.destroyQueues(name);
  await admin.close();
});

const connect = async (): Promise<Connection> => {
  const url = new URL(ARTEMIS_URL);
  const connection = create_container().connect({ host: url.hostname, port: Number(url.port), reconnect: false });
  connection.on('error', () => undefined);
  await new Promise<void>(resolve => connection.once('connection_open', () => resolve()));
  return connection;
};

/** Receives `count` deliveries of `queue` on a receiver with manual settlement. */
const receive = async (connection: Connection, queue: string, count: number): Promise<{ receiver: Receiver; deliveries: Array<{ body: string; delivery: Delivery }> }> => {
  const receiver = connection.open_receiver({ source: { address: queue, capabilities: ['queue'] }, credit_window: 0, autoaccept: false });
  const deliveries: Array<{ body: string; delivery: Delivery }> = [];
  receiver.on('message', (context: EventContext) => {
    const body = context.message!.body as { content: Buffer };
    deliveries.push({ body: Buffer.from(body.content).toString(), delivery: context.delivery! });
  });
  await new Promise<void>(resolve => receiver.once('receiver_open', () => resolve()));
  receiver.add_credit(count);
  await eventually(() => deliveries.length === count, 5000);
  return { receiver, deliveries };
};

const close = (connection: Connection): Promise<void> =>
  new Promise<void>(resolve => {
    connection.once('connection_close', () => resolve());
    connection.once('disconnected', () => resolve());
    connection.close();
  });

describe('two settlements in one tick', () => {
  it('raw rhea 3.0.5: accept(A) then release(B) in the same tick loses B (the bug the transport works around)', async () => {
    const queue = channel('raw');
    await admin.send(queue, 'A');
    await admin.send(queue, 'B');
    const connection = await connect();
    const { deliveries } = await receive(connection, queue, 2);
    expect(deliveries.map(d => d.body)).toEqual(['A', 'B']);
    deliveries[0].delivery.accept();
    deliveries[1].delivery.release(); // same tick: rhea sends one disposition, "accepted 0..1"
    await wait(300);
    await close(connection);
    // B should be back in the queue; with the bug it was accepted, and is gone
    expect((await admin.take(queue)).map(m => m.body.toString())).toEqual([]);
  });

  it('the transport: ack(A) and a resend of B in the same tick: A is gone, B comes back (attempt 2)', async () => {
    const queue = channel('transport');
    const connection = await createTransportLayer({ host: ARTEMIS_URL, channel: queue }).connect({ isConsumer: true });
    const received: TransportMessage[] = [];
    const subscription = connection.message$.subscribe(message => received.push(message));
    try {
      await admin.send(queue, 'A');
      await admin.send(queue, 'B');
      await eventually(() => received.length === 2, 5000);
      expect(received.map(m => String(m.data))).toEqual(['A', 'B']);
      void connection.ackMessage(received[0]);
      void connection.nackMessage(received[1], true); // same tick
      await eventually(() => received.length === 3, 5000);
      expect(String(received[2].data)).toBe('B');
      expect(received[2].attempt).toBe(2);
      void connection.ackMessage(received[2]);
      await wait(300);
      expect(received).toHaveLength(3);
    } finally {
      subscription.unsubscribe();
      await connection.close();
    }
    expect(await admin.take(queue)).toEqual([]);
  });

  it('the transport: a mixed burst settled in one tick keeps every outcome (20 accepted, 20 released back)', async () => {
    const queue = channel('burst');
    const connection = await createTransportLayer({ host: ARTEMIS_URL, channel: queue, credit: 40 }).connect({ isConsumer: true });
    const received: TransportMessage[] = [];
    const subscription = connection.message$.subscribe(message => received.push(message));
    try {
      for (let i = 0; i < 40; i++) await admin.send(queue, `m${i}`);
      await eventually(() => received.length === 40, 5000);
      // alternate outcomes, all in one tick: every neighbour pair is the case rhea merges
      received.forEach((message, i) => void (i % 2 === 0 ? connection.ackMessage(message) : connection.nackMessage(message, true)));
      await eventually(() => received.length === 60, 10_000);
      const again = received.slice(40).map(m => String(m.data)).sort();
      const expected = Array.from({ length: 20 }, (_, i) => `m${2 * i + 1}`).sort();
      expect(again).toEqual(expected);
      expect(received.slice(40).every(m => m.attempt === 2)).toBe(true);
      received.slice(40).forEach(message => void connection.ackMessage(message));
      await wait(300);
      expect(received).toHaveLength(60);
    } finally {
      subscription.unsubscribe();
      await connection.close();
    }
    expect(await admin.take(queue)).toEqual([]);
  });
});
