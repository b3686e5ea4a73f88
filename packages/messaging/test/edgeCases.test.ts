import { act, Event, matchEvent } from '@tributary/core';
import { dedupe, LocalBroker, MsgEffect, reply } from '@tributary/messaging';
import { eventually, localClient, startLocalService, uniqueChannel, wait } from './helpers';

describe('delivery edge cases', () => {
  const broker = new LocalBroker();
  afterAll(() => broker.reset());

  it("an error answer sent to a service channel is not answered again (no bounce loop)", async () => {
    const channel = uniqueChannel('bounce');
    let handled = 0;
    // reply('<own channel>') makes the event look like a request whose answers go to this very channel
    const forward$: MsgEffect = e$ => e$.pipe(matchEvent('Start'), act(e => reply(channel)({ type: 'Step', payload: e.payload })));
    const failing$: MsgEffect = e$ => e$.pipe(matchEvent('Step'), act(() => { handled++; throw new Error('step failed'); }));
    const service = await startLocalService(broker, channel, { effects: [forward$, failing$] }, { retry: { maxAttempts: 1 } });
    const client = await localClient(broker, channel);
    await client.emit({ type: 'Start', payload: 1 });
    await eventually(() => broker.getDeadLetters(channel).length >= 1);
    await wait(100);
    expect(handled).toBe(1);
    const reasons = broker.getDeadLetters(channel).map(l => [(l.message.data as Event).type, l.info.reason]);
    expect(reasons).toEqual([['Step_UNHANDLED_ERROR', 'unhandled']]);
    expect(service.inFlight).toBe(0);
    await service.close();
  });

  it('publish keeps reaching a service while any of its instances runs', async () => {
    const channel = uniqueChannel('sub');
    const got: number[] = [];
    const effect = (n: number): MsgEffect => e$ => e$.pipe(matchEvent('Fact'), act(() => { got.push(n); }));
    const first = await startLocalService(broker, channel, { effects: [effect(1)] }, { subscribe: ['Fact'] });
    const second = await startLocalService(broker, channel, { effects: [effect(2)] }, { subscribe: ['Fact'] });
    await second.close();
    const publisher = await localClient(broker, uniqueChannel('publisher'));
    await publisher.publish({ type: 'Fact' });
    await eventually(() => got.length === 1);
    expect(got).toEqual([1]);
    await first.close();
  });

  it('an event published from an effect with its input metadata gets its own id, caused by the input', async () => {
    const source = uniqueChannel('source');
    const sink = uniqueChannel('sink');
    const received: Event[] = [];
    const publisher = await localClient(broker, source);
    const relay$: MsgEffect = e$ => e$.pipe(matchEvent('In'), act(e => publisher.publish({ type: 'Out', metadata: e.metadata })));
    const relay = await startLocalService(broker, source, { effects: [relay$] });
    const downstream = await startLocalService(broker, sink, { middlewares: [dedupe()], effects: [e$ => e$.pipe(matchEvent('Out'), act(e => { received.push(e); }))] }, { subscribe: ['Out'] });
    const client = await localClient(broker, source);
    await client.emit({ type: 'In', metadata: { id: 'in-1' } });
    await client.emit({ type: 'In', metadata: { id: 'in-2' } });
    await eventually(() => received.length === 2);
    expect(received.map(e => e.metadata?.causationId).sort()).toEqual(['in-1', 'in-2']);
    expect(received.map(e => e.metadata?.id)).not.toContain('in-1');
    await relay.close();
    await downstream.close();
  });
});
