import { act, matchEvent } from '@tributary/core';
import type { ConformanceKit } from './internal/ConformanceKit';

/** A message emitted while no consumer runs waits for one. */
export const persistenceCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('persistence: messages emitted before the consumer started are handled once it starts, in order', ['persistence'], async c => {
    const channel = c.channel('early');
    const client = await c.client(channel);
    for (const n of [1, 2, 3]) await client.emit({ type: 'Early', payload: n });
    const seen: unknown[] = [];
    await c.service(channel, { effects: [e$ => e$.pipe(matchEvent('Early'), act(e => void seen.push(e.payload)))] });
    await c.waitFor(() => seen.length === 3, 'the messages emitted before the service started', () => seen);
    expect(seen).toEqual([1, 2, 3]);
  });
};
