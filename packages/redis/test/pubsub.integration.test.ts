import { TimeoutError } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import { decode, envelope, outgoing, RedisTestBed, sleep, waitFor } from './helpers';

describe('@tributary/redis pubsub mode (SPI)', () => {
  let bed: RedisTestBed;

  beforeEach(() => {
    bed = new RedisTestBed();
  });

  afterEach(() => bed.close());

  test('an envelope round-trips byte for byte: `::`, unicode, nested JSON', async () => {
    const channel = bed.channel('orders');
    const service = await bed.connect({ channel });
    const client = await bed.connect({ channel }, false);
    const received = bed.consume(service);
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]) === 1, 2_000, 'subscription');

    const event = {
      type: 'Note::Created',
      payload: { text: 'a::b::c — zażółć 😀 "quoted" \\ \n', nested: { list: [1, '::', null] } },
      metadata: { id: 'm-1', correlationId: 'c::1', headers: { tenant: 'ünï::cødé' } },
    };
    await client.emitMessage(channel, outgoing(event));

    await waitFor(() => received.length === 1, 2_000, 'delivery');
    expect(Buffer.isBuffer(received[0].data)).toBe(true);
    expect((received[0].data as Buffer).equals(envelope(event))).toBe(true);
    expect(decode(received[0])).toEqual(event);
    expect(received[0].attempt).toBe(1);
    expect(received[0].raw).toEqual(expect.objectContaining({ mode: 'pubsub', channel: bed.key(channel) }));
  });

  test('a consumer is subscribed once connect resolves (as in Marble.js); message$ delivers, and unsubscribing it unsubscribes', async () => {
    const channel = bed.channel('orders');
    const service = await bed.connect({ channel });
    const numsub = async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]);
    expect(await numsub()).toBe(1);
    await service.emitMessage(channel, outgoing({ type: 'Early' })); // before message$ is subscribed: kept

    const received: TransportMessage[] = [];
    const subscription = service.message$.subscribe(m => received.push(m));
    await service.emitMessage(channel, outgoing({ type: 'One' }));
    await waitFor(() => received.length === 2, 2_000, 'two messages');
    expect(received.map(m => decode(m).type)).toEqual(['Early', 'One']);

    subscription.unsubscribe();
    await waitFor(async () => (await numsub()) === 0, 2_000, 'UNSUBSCRIBE');
    await service.emitMessage(channel, outgoing({ type: 'Two' }));
    await sleep(100);
    expect(received).toHaveLength(2);

    // subscribing again subscribes again
    const again: TransportMessage[] = [];
    const resubscription = service.message$.subscribe(m => again.push(m));
    await waitFor(async () => (await numsub()) === 1, 2_000, 'SUBSCRIBE again');
    await service.emitMessage(channel, outgoing({ type: 'Three' }));
    await waitFor(() => again.length === 1, 2_000, 'after resubscribing');
    resubscription.unsubscribe();
  });

  test('a client connection (isConsumer: false) subscribes nothing', async () => {
    const channel = bed.channel('orders');
    await bed.connect({ channel }, false);
    expect(Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1])).toBe(0);
  });

  test('send: concurrent calls get their own replies over one reply channel subscription', async () => {
    const channel = bed.channel('math');
    const service = await bed.connect({ channel });
    const client = await bed.connect({ channel }, false);
    bed.consume(service, message => {
      const request = decode(message);
      const reply = { type: 'Result', payload: (request.payload as number) + 1, metadata: { correlationId: request.metadata?.correlationId } };
      void service.emitMessage(request.metadata!.replyTo!, outgoing(reply));
      void service.ackMessage(message);
    });
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]) === 1, 2_000, 'subscription');

    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client.sendMessage(channel, outgoing({ type: 'Inc', payload: i }))));
    expect(replies.map(reply => decode(reply).payload)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(replies.every(reply => typeof reply.correlationId === 'string')).toBe(true);
    const replyChannels = await bed.admin.pubsub('CHANNELS', `${bed.keyPrefix}*:reply:*`);
    expect(replyChannels).toHaveLength(1);
  });

  test('send: concurrent calls sharing a correlationId (a saga) each get their own reply', async () => {
    const channel = bed.channel('saga');
    const service = await bed.connect({ channel });
    const client = await bed.connect({ channel }, false);
    bed.consume(service, message => {
      const request = decode(message);
      // as the messaging layer replies: metadata.replyTo is the call's reply address
      const reply = { type: 'Result', payload: request.payload, metadata: { correlationId: request.metadata?.correlationId, replyTo: request.metadata?.replyTo } };
      setTimeout(() => void service.emitMessage(request.metadata!.replyTo!, outgoing(reply)), 30 - (request.payload as number) * 10);
    });
    const shared = { metadata: { correlationId: 'saga-1' } };
    const replies = await Promise.all([0, 1, 2].map(n => client.sendMessage(channel, { ...outgoing({ type: 'Step', payload: n, ...shared }), correlationId: 'saga-1' })));
    expect(replies.map(reply => decode(reply).payload)).toEqual([0, 1, 2]);
    expect(new Set(replies.map(reply => reply.replyTo)).size).toBe(3);
  });

  test('send: a timed-out call rejects with TimeoutError and leaves no listener; a late reply is ignored', async () => {
    const channel = bed.channel('slow');
    const service = await bed.connect({ channel });
    const client = await bed.connect({ channel }, false);
    const requests = bed.consume(service);
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]) === 1, 2_000, 'subscription');

    const started = Date.now();
    await expect(client.sendMessage(channel, outgoing({ type: 'Slow' }), { timeout: 150 })).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
    const pending = (client as any).reply.pending;
    expect(pending.size).toBe(0);

    // the late reply finds nobody and changes nothing; the client still works
    const request = decode(requests[0]);
    await service.emitMessage(request.metadata!.replyTo!, outgoing({ type: 'Late', metadata: { correlationId: request.metadata!.correlationId } }));
    await sleep(50);
    expect(pending.size).toBe(0);
    expect(await bed.admin.pubsub('CHANNELS', `${bed.keyPrefix}*:reply:*`)).toHaveLength(1);
  });

  test('publish fans out one copy per subscribed service, exact types and `*`/`#` patterns, never twice', async () => {
    const billing = await bed.connect({ channel: bed.channel('billing'), subscribe: ['payment.captured'] });
    const audit = await bed.connect({ channel: bed.channel('audit'), subscribe: ['payment.*', 'payment.#', '#'] });
    const cards = await bed.connect({ channel: bed.channel('cards'), subscribe: ['payment.card.*'] });
    const client = await bed.connect({ channel: bed.channel('anything') }, false);
    const got = { billing: bed.consume(billing), audit: bed.consume(audit), cards: bed.consume(cards) };

    await client.publishMessage('payment.captured', outgoing({ type: 'payment.captured', payload: 1 }));
    await client.publishMessage('payment.card.declined', outgoing({ type: 'payment.card.declined', payload: 2 }));
    await client.publishMessage('paymentXcaptured', outgoing({ type: 'paymentXcaptured', payload: 3 }));
    await waitFor(() => got.audit.length >= 3 && got.billing.length >= 1 && got.cards.length >= 1, 2_000, 'fan-out');
    await sleep(100);

    expect(got.billing.map(m => decode(m).payload)).toEqual([1]);
    expect(got.cards.map(m => decode(m).payload)).toEqual([2]);
    expect(got.audit.map(m => decode(m).payload).sort()).toEqual([1, 2, 3]);
  });

  test('retry re-dispatches after the delay with the next attempt; nack with resend re-dispatches at once', async () => {
    const channel = bed.channel('flaky');
    const service = await bed.connect({ channel });
    const received = bed.consume(service);
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]) === 1, 2_000, 'subscription');
    await service.emitMessage(channel, outgoing({ type: 'Flaky' }));
    await waitFor(() => received.length === 1, 2_000, 'first delivery');

    const retried = Date.now();
    await service.retryMessage!(received[0], { delay: 200, attempt: 2, error: { name: 'Error', message: 'boom' } });
    await waitFor(() => received.length === 2, 2_000, 'redelivery');
    expect(Date.now() - retried).toBeGreaterThanOrEqual(190);
    expect(received[1].attempt).toBe(2);
    expect(decode(received[1])).toEqual({ type: 'Flaky' });
    expect(received[1].raw).not.toBe(received[0].raw);

    // settling the first delivery again does nothing
    await service.retryMessage!(received[0], { delay: 0, attempt: 3, error: { name: 'Error', message: 'again' } });
    await service.nackMessage(received[1], true);
    await waitFor(() => received.length === 3, 2_000, 'resend');
    await sleep(50);
    expect(received).toHaveLength(3);
  });

  test('dead letters go to the <channel>:dead-letter stream with reason, error and attempts', async () => {
    const channel = bed.channel('poison');
    const service = await bed.connect({ channel });
    const received = bed.consume(service);
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]) === 1, 2_000, 'subscription');
    await service.emitMessage(channel, outgoing({ type: 'Bad', payload: 'x::y', metadata: { id: 'bad-1' } }));
    await waitFor(() => received.length === 1, 2_000, 'delivery');

    await service.deadLetterMessage({ ...received[0], messageId: 'bad-1', type: 'Bad' }, { reason: 'failed', attempts: 3, error: { name: 'TypeError', message: 'nope' } });
    const entries = await bed.admin.xrange(bed.key(`${channel}:dead-letter`), '-', '+');
    expect(entries).toHaveLength(1);
    const fields = Object.fromEntries(chunk(entries[0][1]));
    expect(fields).toEqual(
      expect.objectContaining({ reason: 'failed', errorName: 'TypeError', errorMessage: 'nope', attempts: '3', id: 'bad-1', type: 'Bad', source: bed.key(channel) }),
    );
    expect(JSON.parse(fields.data)).toEqual({ type: 'Bad', payload: 'x::y', metadata: { id: 'bad-1' } });
  });

  test('bytes that are not an envelope are delivered as they are (the messaging layer dead-letters them)', async () => {
    const channel = bed.channel('garbage');
    const service = await bed.connect({ channel });
    const received = bed.consume(service);
    await waitFor(async () => Number((await bed.admin.pubsub('NUMSUB', bed.key(channel)))[1]) === 1, 2_000, 'subscription');
    const garbage = Buffer.from([0x75, 0x75, 0x3a, 0x3a, 0xff, 0x00, 0x7b]);
    await bed.admin.publish(bed.key(channel), garbage);
    await bed.admin.publish(bed.key(channel), 'uuid::{"type":"Marble"}');
    await waitFor(() => received.length === 2, 2_000, 'deliveries');
    expect((received[0].data as Buffer).equals(garbage)).toBe(true);
    expect((received[1].data as Buffer).toString()).toBe('uuid::{"type":"Marble"}');
  });
});

const chunk = (flat: string[]): Array<[string, string]> => flat.flatMap((value, i) => (i % 2 ? [] : [[value, flat[i + 1]] as [string, string]]));
