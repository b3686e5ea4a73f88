import { act, contextFactory, event, Event, eventValidator$, LoggerToken, lookup, matchEvent } from '@tributary/core';
import { ConnectionClosedError, createMicroservice, LocalBroker, messagingListener, MsgEffect, Transport } from '@tributary/messaging';
import { createLocalTransportLayer } from '@tributary/messaging/transport';
import type { TransportProvider } from '@tributary/messaging/transport';
import * as O from 'fp-ts/Option';
import * as t from 'io-ts';
import { tap } from 'rxjs';
import { eventually, localClient, startLocalService, uniqueChannel, wait } from './helpers';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('the delivery machine', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  it('handles events of one key one at a time in order, and different keys in parallel', async () => {
    const channel = uniqueChannel('keys');
    const log: Array<[string, number]> = [];
    let running = 0;
    let maxRunning = 0;
    const work$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Step'),
        act(async e => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await sleep(Math.random() * 5);
          log.push([e.metadata.key as string, (e.payload as number)]);
          running--;
        }),
      );
    const service = await startLocalService(broker, channel, { effects: [work$] });
    const client = await localClient(broker, channel);
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
    for (let i = 0; i < 40; i++) for (const key of keys) await client.emit({ type: 'Step', payload: i, metadata: { key } });
    await eventually(() => log.length === 200, 10_000);
    for (const key of keys) {
      expect(log.filter(([k]) => k === key).map(([, n]) => n)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
    expect(maxRunning).toBeGreaterThan(1); // keys overlap
    expect(maxRunning).toBeLessThanOrEqual(5); // never two of one key
    await service.close();
  });

  it('limits how many keys run at once to `concurrency`', async () => {
    const channel = uniqueChannel('concurrency');
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    const work$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Step'),
        act(async () => {
          maxRunning = Math.max(maxRunning, ++running);
          await sleep(5);
          running--;
          done++;
        }),
      );
    const service = await startLocalService(broker, channel, { effects: [work$] }, { concurrency: 3 });
    const client = await localClient(broker, channel);
    for (let i = 0; i < 30; i++) await client.emit({ type: 'Step', metadata: { key: `k${i}` } });
    await eventually(() => done === 30);
    expect(maxRunning).toBe(3);
    await service.close();
  });

  it('retries in process when the transport cannot delay a message, keeping its key waiting', async () => {
    const channel = uniqueChannel('inprocess');
    // the local transport, without broker-side retry (as Kafka and MQTT)
    const base = createLocalTransportLayer({ channel, broker, retry: { maxAttempts: 3, initialDelay: 20, maxDelay: 20 } });
    const provider: TransportProvider = {
      type: Transport.LOCAL,
      createTransportLayer: () => ({
        ...base,
        connect: async opts => {
          const connection = await base.connect(opts);
          return Object.assign(Object.create(Object.getPrototypeOf(connection)), connection, { retryMessage: undefined });
        },
      }),
    };
    const seen: string[] = [];
    const flaky$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Step'),
        act(e => {
          seen.push(`${e.payload}@${e.metadata.attempt}`);
          if (e.payload === 'first' && (e.metadata.attempt as number) < 3) throw new Error('not yet');
        }),
      );
    const service = await (await createMicroservice({ transport: provider, listener: messagingListener({ effects: [flaky$] }) }))();
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Step', payload: 'first', metadata: { key: 'order-1' } });
    await client.emit({ type: 'Step', payload: 'second', metadata: { key: 'order-1' } });
    await client.emit({ type: 'Step', payload: 'other', metadata: { key: 'order-2' } });
    await eventually(() => seen.length === 5);
    // the other key went on at once; the second of order-1 waited for the first's retries
    expect(seen.indexOf('other@1')).toBeLessThan(seen.indexOf('first@2'));
    expect(seen.filter(s => !s.startsWith('other'))).toEqual(['first@1', 'first@2', 'first@3', 'second@1']);
    expect(service.inFlight).toBe(0);
    expect(broker.getDeadLetters(channel)).toEqual([]);
    await service.close();
  });

  it('dead-letters an event failing eventValidator$ on its first attempt, however many acts follow', async () => {
    const channel = uniqueChannel('invalid');
    const Charge = event('Charge')(t.type({ amount: t.number }));
    let worked = 0;
    const charge$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent(Charge),
        act(eventValidator$(Charge)),
        act(() => {
          worked++;
        }),
        act(() => undefined),
      );
    const service = await startLocalService(broker, channel, { effects: [charge$] }, { retry: { maxAttempts: 5, initialDelay: 5 } });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Charge', payload: { amount: 'ten' } });
    await eventually(() => broker.getDeadLetters(channel).length === 1);
    await wait(50);
    const [letter] = broker.getDeadLetters(channel);
    expect(letter.info).toMatchObject({ reason: 'failed', attempts: 1, error: { name: 'EventError' } });
    expect(worked).toBe(0);
    expect(broker.pendingRetries).toBe(0);
    await service.close();
  });

  it('gives effects an AbortSignal that fires when the drain gives up on them', async () => {
    const channel = uniqueChannel('abort');
    let aborted: unknown;
    const slow$: MsgEffect = e$ =>
      e$.pipe(
        matchEvent('Slow'),
        act((_e, { signal }) => new Promise<void>(resolve => signal.addEventListener('abort', () => { aborted = signal.reason; resolve(); }))),
      );
    const service = await startLocalService(broker, channel, { effects: [slow$] });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Slow' });
    await eventually(() => service.inFlight === 1);
    await service.close({ drainTimeout: 30 });
    expect(aborted).toBeInstanceOf(Error);
    expect((aborted as Error).name).toBe('DeliveryAbandonedError');
    // left to the broker: it is there for the next instance
    expect(broker.depth(channel)).toBe(1);
  });

  it('rejects emit, send and publish of a closed client at once with ConnectionClosedError', async () => {
    const channel = uniqueChannel('closed');
    const service = await startLocalService(broker, channel, { effects: [] });
    const client = await localClient(broker, channel, { timeout: 60_000 });
    await client.close();
    const started = Date.now();
    await expect(client.emit({ type: 'X' })).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.publish({ type: 'X' })).rejects.toBeInstanceOf(ConnectionClosedError);
    const error = await new Promise(resolve => client.send({ type: 'X' }).subscribe({ error: resolve }));
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as Error).message).toContain('closed');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(broker.depth(channel)).toBe(0);
    await service.close();
  });

  it('addresses outputs sent back to the service itself as Marble.js does: replyTo = the channel, the input correlationId', async () => {
    const channel = uniqueChannel('origin');
    const seen: Event[] = [];
    const chained: Event[] = [];
    const first$: MsgEffect = e$ => e$.pipe(matchEvent('Placed'), act(() => ({ type: 'Confirm' })));
    const second$: MsgEffect = e$ => e$.pipe(matchEvent('Confirm'), act(e => { chained.push(e); }));
    const service = await startLocalService(broker, channel, {
      effects: [first$, second$],
      output$: out$ => out$.pipe(tap(e => seen.push(e))),
    });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Placed', metadata: { correlationId: 'corr-1' } });
    await eventually(() => chained.length === 1);
    expect(seen[0].metadata).toMatchObject({ replyTo: channel, correlationId: 'corr-1' });
    // handled as an emit (not a request) on the own channel: failures there are retried
    expect(chained[0].metadata?.replyTo).toBeUndefined();
    expect(chained[0].metadata?.correlationId).toBe('corr-1');
    await service.close();
  });

  it('contextFactory() binds a default logger, as Marble.js does', async () => {
    const context = await contextFactory();
    expect(O.isSome(lookup(context)(LoggerToken))).toBe(true);
  });
});
