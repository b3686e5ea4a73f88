import { act, matchEvent } from '@tributary/core';
import { ackEvent, LocalBroker, MsgEffect, nackAndResendEvent, nackEvent } from '@tributary/messaging';
import { from, map } from 'rxjs';
import { eventually, localClient, startLocalService, uniqueChannel, wait } from './helpers';

describe('manual settlement (expectAck)', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  it('ackEvent settles the message; nothing is redelivered or dead-lettered', async () => {
    const channel = uniqueChannel('ack');
    const seen: number[] = [];
    const ack$: MsgEffect = (e$, ctx) =>
      e$.pipe(matchEvent('Job'), act(e => from(ackEvent(ctx)(e)()).pipe(map(ok => { seen.push(ok ? 1 : 0); return undefined as never; }))));
    const service = await startLocalService(broker, channel, { effects: [ack$] }, { expectAck: true, timeout: 200 });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Job' });
    await eventually(() => seen.length === 1);
    await wait(300);
    expect(seen).toEqual([1]);
    expect(service.inFlight).toBe(0);
    expect(broker.getDeadLetters(channel)).toEqual([]);
    await service.close();
  });

  it('an event nobody acknowledges is rejected after timeout while the next is processed', async () => {
    const channel = uniqueChannel('ack-timeout');
    const seen: unknown[] = [];
    const effect$: MsgEffect = (e$, ctx) =>
      e$.pipe(
        matchEvent('Job'),
        act(e => {
          seen.push(e.payload);
          return e.payload === 'ignored' ? undefined : from(ackEvent(ctx)(e)()).pipe(map(() => undefined as never));
        }),
      );
    const service = await startLocalService(broker, channel, { effects: [effect$] }, { expectAck: true, timeout: 100 });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Job', payload: 'ignored' });
    await client.emit({ type: 'Job', payload: 'next' });
    await eventually(() => seen.length === 2);
    await eventually(() => broker.getDeadLetters(channel).length === 1);
    expect(broker.getDeadLetters(channel)[0].info.reason).toBe('timeout');
    expect(service.inFlight).toBe(0);
    await service.close();
  });

  it('nackEvent dead-letters as rejected; nackAndResendEvent delivers it again', async () => {
    const channel = uniqueChannel('nack');
    let deliveries = 0;
    const effect$: MsgEffect = (e$, ctx) =>
      e$.pipe(
        matchEvent('Job'),
        act(e => {
          deliveries++;
          const settle = deliveries === 1 ? nackAndResendEvent : deliveries === 2 ? nackEvent : ackEvent;
          return from(settle(ctx)(e)()).pipe(map(() => undefined as never));
        }),
      );
    const service = await startLocalService(broker, channel, { effects: [effect$] }, { expectAck: true, timeout: 1000 });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Job' });
    await eventually(() => broker.getDeadLetters(channel).length === 1);
    expect(deliveries).toBe(2);
    expect(broker.getDeadLetters(channel)[0].info.reason).toBe('rejected');
    await service.close();
  });

  it('nackEvent resolves false when the transport could not dead-letter the event (the error goes to error$), true when it could', async () => {
    class FailingBroker extends LocalBroker {
      failing = true;
      override deadLetter(...args: Parameters<LocalBroker['deadLetter']>): void {
        if (this.failing) throw new Error('dead-letter store unavailable');
        super.deadLetter(...args);
      }
    }
    const failing = new FailingBroker();
    const channel = uniqueChannel('nack-fails');
    const results: boolean[] = [];
    const effect$: MsgEffect = (e$, ctx) => e$.pipe(matchEvent('Job'), act(e => from(nackEvent(ctx)(e)()).pipe(map(ok => void results.push(ok) as never))));
    const service = await startLocalService(failing, channel, { effects: [effect$] }, { expectAck: true, timeout: 1000 });
    const errors: unknown[] = [];
    const subscription = service.error$.subscribe(error => errors.push(error));
    const client = await localClient(failing, channel);
    await client.emit({ type: 'Job' });
    await eventually(() => results.length === 1);
    expect(results).toEqual([false]);
    expect(String(errors[0])).toContain('dead-letter store unavailable');
    failing.failing = false;
    await client.emit({ type: 'Job' });
    await eventually(() => results.length === 2);
    expect(results).toEqual([false, true]);
    expect(failing.getDeadLetters(channel)).toHaveLength(1);
    subscription.unsubscribe();
    await service.close();
    failing.reset();
  });
});
