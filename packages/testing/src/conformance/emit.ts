import { act, matchEvent } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import type { ConformanceKit } from './internal/ConformanceKit';

/** emit: to the service's channel, handled by exactly one instance. */
export const emitCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('emit: a resolved emit is handled by the service, with its payload', [], async c => {
    const channel = c.channel('emit');
    const seen: unknown[] = [];
    await c.service(channel, { effects: [e$ => e$.pipe(matchEvent('Work'), act(e => void seen.push(e.payload)))] });
    const client = await c.client(channel);
    await client.emit({ type: 'Work', payload: { n: 1, text: 'zürich ✓' } });
    await c.waitFor(() => seen.length === 1, 'the emitted event to be handled');
    expect(seen).toEqual([{ n: 1, text: 'zürich ✓' }]);
  });

  kit.test('emit to two competing instances: each message is handled exactly once overall, by either', ['competingConsumers'], async c => {
    const channel = c.channel('compete');
    const seen: Array<[instance: string, n: number]> = [];
    const done: string[] = [];
    const effect =
      (instance: string): MsgEffect =>
      e$ =>
        e$.pipe(
          matchEvent('Work', 'Done'),
          // a little work per message, so that both instances get some
          act(async e => {
            if (e.type === 'Done') return void done.push(instance);
            await new Promise(resolve => setTimeout(resolve, 5));
            seen.push([instance, e.payload as number]);
          }),
        );
    await c.service(channel, { effects: [effect('a')] });
    await c.service(channel, { effects: [effect('b')] });
    const client = await c.client(channel);
    const count = 40;
    await Promise.all(Array.from({ length: count }, (_, n) => client.emit({ type: 'Work', payload: n })));
    await c.waitFor(() => seen.length >= count, `${count} handled messages`, () => seen.length);
    // a duplicate would come with or before a message emitted after all of them
    await client.emit({ type: 'Done' });
    await c.waitFor(() => done.length === 1, 'the message emitted last');
    expect(seen.map(([, n]) => n).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, n) => n));
    expect(new Set(seen.map(([instance]) => instance))).toEqual(new Set(['a', 'b']));
  });
};
