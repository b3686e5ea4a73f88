/**
 * Wire compatibility with Marble.js v4.1.0 (from npm) on the same queue, both ways:
 * a Marble.js client calls a Tributary service, a Tributary client calls a Marble.js service.
 * Marble.js's AMQP strategy runs unchanged, with its own dependency `amqp-connection-manager`
 * (a devDependency of this package).
 */
import * as MarbleCore from '@marblejs/core';
import * as Marble from '@marblejs/messaging';
import { act, EventError, matchEvent } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { reply } from '@tributary/messaging';
import { EMPTY, firstValueFrom, map, of } from 'rxjs';
import { AMQP_URL, eventually, uniqueQueue } from './helpers/broker';
import { useSharedBroker } from './helpers/brokerLock';
import { Services } from './helpers/services';

const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));

describe('interoperability with Marble.js 4.1.0 over AMQP', () => {
  const broker = useSharedBroker();
  const services = new Services();


  afterEach(() => services.stopAll(broker.admin));


  // Marble.js keeps a timer per call for its timeout: a short one lets jest exit soon after
  const marbleOptions = (queue: string) => ({ host: AMQP_URL, queue, queueOptions: { durable: true }, timeout: 2000 });

  it('a Marble.js client calls a Tributary service: replies, error replies and emits', async () => {
    const queue = uniqueQueue('tributary-svc');
    const emitted: unknown[] = [];
    const fib$: MsgEffect = event$ =>
      event$.pipe(matchEvent('FIB'), act(e => reply(e)({ type: 'FIB_RESULT', payload: fib(e.payload as number) })));
    const fail$: MsgEffect = event$ =>
      event$.pipe(
        matchEvent('FAIL'),
        act(e => {
          throw new EventError(e, 'Amount must be positive', { amount: e.payload });
        }),
      );
    const log$: MsgEffect = event$ => event$.pipe(matchEvent('LOG'), act(e => void emitted.push(e.payload)));
    await services.service(queue, { effects: [fib$, fail$, log$] });
    services.options(queue); // Marble declares the same queue: delete it afterwards

    const Client = MarbleCore.createContextToken<Marble.MessagingClient>('MarbleClient');
    const context = await MarbleCore.contextFactory(
      MarbleCore.bindEagerlyTo(Client)(Marble.MessagingClient({ transport: Marble.Transport.AMQP, options: marbleOptions(queue) })),
    );
    const client = MarbleCore.useContext(Client)(MarbleCore.lookup(context));
    services.onStop(() => client.close());

    const results = await Promise.all([10, 15, 20].map(n => firstValueFrom(client.send({ type: 'FIB', payload: n }))));
    expect(results).toEqual([10, 15, 20].map(n => expect.objectContaining({ type: 'FIB_RESULT', payload: fib(n) })));
    const error = await firstValueFrom(client.send({ type: 'FAIL', payload: -1 })).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Amount must be positive');
    await client.emit({ type: 'LOG', payload: 'from marble' });
    await eventually(() => emitted.length === 1);
    expect(emitted).toEqual(['from marble']);
  });

  it('a Tributary client calls a Marble.js service: replies, error replies and emits', async () => {
    const queue = uniqueQueue('marble-svc');
    const emitted: unknown[] = [];
    const fib$: Marble.MsgEffect = event$ =>
      event$.pipe(
        MarbleCore.matchEvent('FIB'),
        MarbleCore.act((e: MarbleCore.Event) => of(e).pipe(map(x => Marble.reply(x)({ type: 'FIB_RESULT', payload: fib(x.payload as number) })))),
      );
    const fail$: Marble.MsgEffect = event$ =>
      event$.pipe(
        MarbleCore.matchEvent('FAIL'),
        MarbleCore.act((e: MarbleCore.Event) => {
          throw new MarbleCore.EventError(e, 'Marble says no', { amount: e.payload });
        }),
      );
    const log$: Marble.MsgEffect = event$ =>
      event$.pipe(
        MarbleCore.matchEvent('LOG'),
        MarbleCore.act((e: MarbleCore.Event) => {
          emitted.push(e.payload);
          return EMPTY;
        }),
      );
    const microservice = await Marble.createMicroservice({
      transport: Marble.Transport.AMQP,
      options: marbleOptions(queue),
      listener: Marble.messagingListener({ effects: [fib$, fail$, log$] }),
    });
    const connection = await microservice();
    services.onStop(() => connection.close());
    services.options(queue);

    const client = await services.client(queue);
    const results = await Promise.all([10, 15, 20].map(n => firstValueFrom(client.send({ type: 'FIB', payload: n }))));
    expect(results.map(r => r.payload)).toEqual([10, 15, 20].map(fib));
    expect(results.every(r => r.type === 'FIB_RESULT')).toBe(true);
    const error = await firstValueFrom(client.send({ type: 'FAIL', payload: -1 })).catch(e => e);
    expect(error).toBeInstanceOf(EventError);
    expect(error.message).toBe('Marble says no');
    expect(error.data).toEqual({ amount: -1 });
    await client.emit({ type: 'LOG', payload: 'from tributary' });
    await eventually(() => emitted.length === 1);
    expect(emitted).toEqual(['from tributary']);
  });
});
