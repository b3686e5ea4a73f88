/**
 * What the transport promises beyond the conformance suite, on the real broker: subscription
 * queues are durable (a publication made while a service is down waits for it, Artemis
 * wildcards match as `subscribe` does), immediate retries are counted by the broker
 * (`delivery_count`), and credit bounds what a service holds unsettled.
 */
import { act, matchEvent } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MicroserviceConnection, MsgEffect } from '@tributary/messaging';
import { contextFactory } from '@tributary/core';
import { ArtemisAdmin, ARTEMIS_URL, eventually, uniqueChannel, wait } from './helpers/artemis';

jest.setTimeout(30_000);

describe('AMQP 1.0 delivery', () => {
  const admin = new ArtemisAdmin();
  const channels: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(() => admin.open());
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  });
  afterAll(async () => {
    for (const name of channels) await admin.destroyQueues(name);
    await admin.close();
  });

  const channel = (label: string): string => {
    const name = uniqueChannel(label);
    channels.push(name);
    return name;
  };

  const start = async (name: string, effects: MsgEffect[], extra: object = {}): Promise<MicroserviceConnection> => {
    const microservice = await createMicroservice({
      transport: Transport.AMQP10,
      options: { host: ARTEMIS_URL, channel: name, ...extra },
      listener: messagingListener({ effects }),
    });
    const connection = await microservice();
    closers.push(() => connection.close({ drainTimeout: 1000 }));
    return connection;
  };

  const client = async (name: string): Promise<MessagingClient> => {
    const c = await MessagingClient({ transport: Transport.AMQP10, options: { host: ARTEMIS_URL, channel: name } })(await contextFactory());
    closers.push(() => c.close());
    return c;
  };

  it('a subscription outlives its service: what is published while it is down is handled when it is back; wildcards match', async () => {
    const name = channel('durable');
    const run = name.slice(-8);
    const got: string[] = [];
    const audit$: MsgEffect = e$ => e$.pipe(matchEvent(`audit.${run}.login.ok`, `audit.${run}.logout`, `other.${run}`), act(e => void got.push(e.type)));
    // the addresses of what is published, made by the broker on first use
    closers.push(async () => {
      for (const type of [`audit.${run}.login.ok`, `audit.${run}.logout`, `other.${run}`]) await admin.deleteAddress(`event.${type}`);
    });
    const first = await start(name, [audit$], { subscribe: [`audit.${run}.#`] });
    await first.close();
    const c = await client(name);
    await c.publish({ type: `audit.${run}.login.ok` });
    await c.publish({ type: `other.${run}` });
    await c.publish({ type: `audit.${run}.logout` });
    await start(name, [audit$], { subscribe: [`audit.${run}.#`] });
    await eventually(() => got.length >= 2, 10_000);
    await wait(300);
    expect(got.sort()).toEqual([`audit.${run}.login.ok`, `audit.${run}.logout`]);
    expect((await admin.queueNames()).filter(q => q.startsWith(name))).toEqual(expect.arrayContaining([`${name}.event.audit.${run}.#`]));
  });

  it('retries without a delay are "modified" deliveries counted by the broker, then dead-lettered', async () => {
    const name = channel('modified');
    const attempts: number[] = [];
    const fail$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Fragile'),
        act(e => {
          attempts.push(e.metadata?.attempt ?? 0);
          throw new Error('still broken');
        }),
      );
    await start(name, [fail$], { retry: { maxAttempts: 3, initialDelay: 0 } });
    await (await client(name)).emit({ type: 'Fragile' });
    const letters: Awaited<ReturnType<ArtemisAdmin['take']>> = [];
    await eventually(async () => (letters.push(...(await admin.take(`${name}.dead-letter`, 100))), letters.length === 1), 10_000, 100);
    expect(attempts).toEqual([1, 2, 3]);
    expect(letters[0].properties).toMatchObject({ 'x-dead-letter-reason': 'failed', 'x-attempts': 3, 'x-error-message': 'still broken' });
    // the copy in the dead-letter queue starts afresh: no delivery count carried over
    expect(letters[0].message.delivery_count ?? 0).toBe(0);
  });

  it('credit bounds what a service holds: credit 4 → never more than 4 effects at once, whatever the concurrency', async () => {
    const name = channel('credit');
    let running = 0;
    let most = 0;
    let done = 0;
    const slow$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Slow'),
        act(async () => {
          most = Math.max(most, ++running);
          await wait(40);
          running--;
          done++;
        }),
      );
    const c = await client(name);
    for (let i = 0; i < 24; i++) await c.emit({ type: 'Slow', payload: i, metadata: { key: `k${i}` } });
    await start(name, [slow$], { credit: 4, concurrency: 32 });
    await eventually(() => done === 24, 15_000);
    expect(most).toBe(4);
  });

  it('a burst of emits beyond the link credit: every one accepted and handled, without a listener per waiting send', async () => {
    const name = channel('burst');
    const seen = new Set<number>();
    const count$: MsgEffect = e$ => e$.pipe(matchEvent('Burst'), act(e => void seen.add((e.payload as { n: number }).n)));
    await start(name, [count$]);
    const c = await client(name);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      // Artemis grants a sender 1000 credits: most of these wait for more
      const total = 3000;
      await Promise.all(Array.from({ length: total }, (_, n) => c.emit({ type: 'Burst', payload: { n } })));
      await eventually(() => seen.size === total, 20_000);
      await wait(50);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
