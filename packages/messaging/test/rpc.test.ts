import { act, EventError, matchEvent } from '@tributary/core';
import { LocalBroker, MsgEffect, NoConsumerError, reply, TimeoutError, UnhandledEventError } from '@tributary/messaging';
import { firstValueFrom, lastValueFrom, of, delay, map, NEVER } from 'rxjs';
import { localClient, startLocalService, uniqueChannel } from './helpers';

const double$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent('DOUBLE'),
    act(event => of(event).pipe(delay(Math.random() * 20), map(e => reply(e)({ type: 'DOUBLED', payload: (e.payload as number) * 2 })))),
  );

const fail$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent('FAIL'),
    act(event => {
      throw new EventError(event, 'Amount must be positive', { amount: event.payload });
    }),
  );

describe('request / reply on the local transport', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  it('gives each of 100 concurrent calls its own reply', async () => {
    const channel = uniqueChannel('rpc');
    const service = await startLocalService(broker, channel, { effects: [double$] });
    const client = await localClient(broker, channel, { timeout: 5000 });
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => firstValueFrom(client.send({ type: 'DOUBLE', payload: i }))),
    );
    expect(replies.map(r => r.payload)).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    expect(replies.every(r => r.type === 'DOUBLED')).toBe(true);
    // replies are caused by their request and keep its correlation id
    expect(new Set(replies.map(r => r.metadata?.correlationId)).size).toBe(100);
    await client.close();
    await service.close();
  });

  it('rejects with the remote EventError, with its data', async () => {
    const channel = uniqueChannel('rpc');
    const service = await startLocalService(broker, channel, { effects: [fail$] });
    const client = await localClient(broker, channel, { timeout: 5000 });
    const error = await firstValueFrom(client.send({ type: 'FAIL', payload: -5 })).catch(e => e);
    expect(error).toBeInstanceOf(EventError);
    expect(error.message).toBe('Amount must be positive');
    expect(error.data).toEqual({ amount: -5 });
    await service.close();
  });

  it('fails fast with UnhandledEventError when no effect handles the type', async () => {
    const channel = uniqueChannel('rpc');
    const service = await startLocalService(broker, channel, { effects: [double$] });
    const client = await localClient(broker, channel, { timeout: 10_000 });
    const started = Date.now();
    const error = await firstValueFrom(client.send({ type: 'NOBODY' })).catch(e => e);
    expect(error.name).toBe('UnhandledEventError');
    expect(error.message).toContain('"NOBODY"');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(new UnhandledEventError('X', 'y')).toBeInstanceOf(Error);
    await service.close();
  });

  it('times out with TimeoutError when the service never answers', async () => {
    const channel = uniqueChannel('silent');
    // it takes the request and never replies
    const silent$: MsgEffect = event$ => event$.pipe(matchEvent('DOUBLE'), act(() => NEVER));
    const service = await startLocalService(broker, channel, { effects: [silent$] });
    const client = await localClient(broker, channel, { timeout: 100 });
    const error = await lastValueFrom(client.send({ type: 'DOUBLE', payload: 1 })).catch(e => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('within 100 ms');
    await service.close({ drainTimeout: 10 });
  });

  it('fails at once with NoConsumerError naming the channel when no service consumes it', async () => {
    const channel = uniqueChannel('nobody');
    const client = await localClient(broker, channel, { timeout: 60_000 });
    const started = Date.now();
    const error = await lastValueFrom(client.send({ type: 'DOUBLE', payload: 1 })).catch(e => e);
    expect(error).toBeInstanceOf(NoConsumerError);
    expect(error.name).toBe('NoConsumerError');
    expect(error.message).toContain(`"${channel}"`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('keeps concurrent calls apart even when they share a business correlationId', async () => {
    const channel = uniqueChannel('rpc');
    const service = await startLocalService(broker, channel, { effects: [double$] });
    const client = await localClient(broker, channel, { timeout: 2000 });
    const replies = await Promise.all(
      [1, 2, 3].map(n => firstValueFrom(client.send({ type: 'DOUBLE', payload: n, metadata: { correlationId: 'order-1' } }))),
    );
    expect(replies.map(r => r.payload)).toEqual([2, 4, 6]);
    // the business correlation id travels untouched
    expect(replies.map(r => r.metadata?.correlationId)).toEqual(['order-1', 'order-1', 'order-1']);
    await service.close();
  });
});
