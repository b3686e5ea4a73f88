import type { Event } from '@tributary/core';
import WebSocket from 'ws';
import { Dashboard, startDashboard } from '../src/app';

/** A WebSocket client that keeps what it got and waits (bounded) for more. */
const client = async (url: string, origin?: string) => {
  const socket = new WebSocket(url, origin ? { origin } : {});
  const received: Event[] = [];
  socket.on('message', data => received.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const until = async (check: (events: Event[]) => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!check(received)) {
      if (Date.now() > deadline) throw new Error(`not received within ${ms} ms; got ${JSON.stringify(received.map(e => e.type))}`);
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  };
  return { socket, received, until, send: (event: unknown) => socket.send(JSON.stringify(event)) };
};

let dashboard: Dashboard;
const sockets: WebSocket[] = [];
beforeEach(async () => {
  dashboard = await startDashboard({ port: 0 });
});
afterEach(async () => {
  sockets.splice(0).forEach(s => s.terminate());
  await dashboard.close();
});

describe('live dashboard (WebSocket level)', () => {
  it('serves the page and its script', async () => {
    const page = await fetch(dashboard.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('id="order-form"');
    expect((await fetch(new URL('/app.js', dashboard.url))).status).toBe(200);
    expect((await fetch(new URL('/../package.json', dashboard.url))).status).toBe(404);
  });

  it('takes an order over the socket; every subscribed client sees the events that follow', async () => {
    const buyer = await client(dashboard.wsUrl);
    const watcher = await client(dashboard.wsUrl);
    const idle = await client(dashboard.wsUrl);
    sockets.push(buyer.socket, watcher.socket, idle.socket);
    for (const c of [buyer, watcher]) c.send({ type: 'subscribe', payload: { types: ['#'] } });
    await buyer.until(e => e.some(x => x.type === 'subscribed'));
    await watcher.until(e => e.some(x => x.type === 'subscribed'));

    buyer.send({ type: 'SubmitOrder', payload: { customer: 'ada', sku: 'book', qty: 2 }, metadata: { correlationId: 'form-1' } });
    await buyer.until(e => e.some(x => x.type === 'OrderAccepted'));
    const accepted = buyer.received.find(e => e.type === 'OrderAccepted')!;
    expect(accepted.metadata?.correlationId).toBe('form-1');
    const { orderId } = accepted.payload as { orderId: string };

    const flow = (events: Event[]) => events.filter(e => (e.payload as { orderId?: string })?.orderId === orderId).map(e => e.type);
    await watcher.until(e => flow(e).filter(t => t === 'CustomerNotified').length === 2);
    expect(flow(watcher.received).sort()).toEqual(['CustomerNotified', 'CustomerNotified', 'OrderCreated', 'PaymentCaptured', 'StockReserved']);
    expect(watcher.received.find(e => e.type === 'OrderCreated')?.payload).toEqual({ orderId, customer: 'ada', lines: [{ sku: 'book', qty: 2 }], total: 40 });
    // the reply went to the buyer only; a client that did not subscribe got nothing
    expect(watcher.received.some(e => e.type === 'OrderAccepted')).toBe(false);
    expect(idle.received).toEqual([]);
  });

  it('refuses a bad order with OrderRejected and a message for the page', async () => {
    const buyer = await client(dashboard.wsUrl);
    sockets.push(buyer.socket);
    buyer.send({ type: 'SubmitOrder', payload: { customer: 'ada', sku: 'piano', qty: 1 } });
    buyer.send({ type: 'SubmitOrder', payload: { customer: 'ada', sku: 'book', qty: 1.5 } });
    buyer.send({ type: 'SubmitOrder', payload: { customer: 'ada', qty: 1 } });
    await buyer.until(e => e.length === 3);
    expect(buyer.received.map(e => e.type)).toEqual(['OrderRejected', 'OrderRejected', 'OrderRejected']);
    const messages = buyer.received.map(e => e.error.message).sort();
    expect(messages[0]).toContain('Event "SubmitOrder" failed validation: payload.sku: expected string');
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('Unknown article "piano"'), expect.stringContaining('whole number from 1 to 99')]));
  });

  it('refuses pages of other origins (cross-site WebSocket hijacking)', async () => {
    const page = new URL(dashboard.url);
    await expect(client(dashboard.wsUrl, 'https://evil.example.com')).rejects.toThrow('Unexpected server response: 401');
    const ok = await client(dashboard.wsUrl, `http://${page.host}`);
    sockets.push(ok.socket);
  });

  it('logs no warning in normal use: every event on the bus has a taker (no unhandled dead letter)', async () => {
    const lines: string[] = [];
    const logged = await startDashboard({ port: 0, log: line => lines.push(line) });
    try {
      const buyer = await client(logged.wsUrl);
      sockets.push(buyer.socket);
      buyer.send({ type: 'subscribe', payload: { types: ['#'] } });
      await buyer.until(e => e.some(x => x.type === 'subscribed'));
      buyer.send({ type: 'SubmitOrder', payload: { customer: 'ada', sku: 'book', qty: 1 } });
      await buyer.until(e => e.filter(x => x.type === 'CustomerNotified').length === 2);
      await new Promise(resolve => setTimeout(resolve, 50)); // a dead letter would be logged right after
    } finally {
      await logged.close();
    }
    expect(lines).toEqual([]);
  });
});
