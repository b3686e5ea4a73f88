import { act, matchEvent } from '@tributary/core';
import { ackEvent, nackEvent } from '@tributary/messaging';
import type { MsgEffect } from '@tributary/messaging';
import type { ConformanceKit } from './internal/ConformanceKit';

/** Manual mode (`expectAck`): ackEvent / nackEvent settle; what nobody settles times out. */
export const manualAckCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('manual ack: ackEvent settles a message (never delivered again), nackEvent dead-letters it "rejected", an unsettled one times out', ['manualAck'], async c => {
    const channel = c.channel('manual-ack');
    const seen: string[] = [];
    const settled: Array<[string, boolean]> = [];
    const jobs: MsgEffect = (e$, ctx) =>
      e$.pipe(
        matchEvent('Job'),
        act(async e => {
          const what = e.payload as string;
          seen.push(what);
          if (what === 'ack') settled.push([what, await ackEvent(ctx)(e)()]);
          if (what === 'nack') settled.push([what, await nackEvent(ctx)(e)()]);
          // 'ignore': nobody settles it
        }),
      );
    const service = await c.service(channel, { effects: [jobs] }, { extra: { expectAck: true, timeout: 1_500 } });
    const client = await c.client(channel);
    await client.emit({ type: 'Job', payload: 'ack' });
    await client.emit({ type: 'Job', payload: 'nack', metadata: { headers: { tenant: 'acme' } } });
    await client.emit({ type: 'Job', payload: 'ignore' });
    await c.waitFor(() => settled.length === 2, 'ack and nack to settle', () => settled);
    expect(settled.sort()).toEqual([
      ['ack', true],
      ['nack', true],
    ]);
    const letters = await c.deadLettersOf(channel, 2);
    expect(letters.map(letter => [letter.reason, letter.type]).sort()).toEqual([
      ['rejected', 'Job'],
      ['timeout', 'Job'],
    ]);
    expect(letters.find(letter => letter.reason === 'rejected')?.headers).toEqual({ tenant: 'acme' });
    await c.waitFor(() => service.inFlight === 0, 'nothing in flight', () => service.inFlight);
    if (kit.has('persistence')) {
      // a settled message is gone from the broker: the next instance sees only what comes after
      await service.close({ drainTimeout: 1_000 });
      await c.service(channel, { effects: [jobs] }, { extra: { expectAck: true, timeout: 1_500 } });
      await client.emit({ type: 'Job', payload: 'ack' });
      await c.waitFor(() => settled.length === 3, 'the message emitted to the next instance', () => seen);
    }
    expect(seen.filter(what => what !== 'ack').sort()).toEqual(['ignore', 'nack']);
    expect(seen.filter(what => what === 'ack')).toHaveLength(kit.has('persistence') ? 2 : 1);
  });
};
