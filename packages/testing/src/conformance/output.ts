import { act, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { tap } from 'rxjs';
import type { ConformanceKit } from './internal/ConformanceKit';

/** An effect's output routed back to the origin channel (Marble.js chaining), as output$ sees it. */
export const outputCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('output: an output going back to the origin channel carries metadata.replyTo = that channel and the input correlationId', [], async c => {
    const channel = c.channel('output');
    const outputs: Event[] = [];
    const chained: Event[] = [];
    await c.service(channel, {
      effects: [
        e$ => e$.pipe(matchEvent('Reserve'), act(e => ({ type: 'Reserved', payload: e.payload }))),
        e$ => e$.pipe(matchEvent('Reserved'), act(e => void chained.push(e))),
      ],
      output$: out$ => out$.pipe(tap(e => outputs.push(e))),
    });
    const client = await c.client(channel);
    await client.emit({ type: 'Reserve', payload: 'sku-1', metadata: { correlationId: 'corr-1' } });
    await c.waitFor(() => chained.length === 1, 'the output to come back to the service', () => outputs);
    const seen = outputs.find(e => e.type === 'Reserved');
    expect(seen?.metadata?.replyTo).toBe(channel);
    expect(seen?.metadata?.correlationId).toBe('corr-1');
    expect(chained[0].metadata?.correlationId).toBe('corr-1');
    expect(chained[0].payload).toBe('sku-1');
  });
};
