import { act, matchEvent } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import type { ConformanceKit } from './internal/ConformanceKit';

/** close() drains: consuming stops, in-flight work finishes and is acknowledged, then it disconnects. */
export const drainCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('drain: close() lets the in-flight handler finish and acknowledges it; messages after it go to the next instance, once', [], async c => {
    const channel = c.channel('drain');
    const started: Array<[instance: string, what: string]> = [];
    const finished: Array<[instance: string, what: string]> = [];
    const slow =
      (instance: string): MsgEffect =>
      e$ =>
        e$.pipe(
          matchEvent('Slow'),
          act(async e => {
            started.push([instance, e.payload as string]);
            await new Promise(resolve => setTimeout(resolve, 400));
            finished.push([instance, e.payload as string]);
          }),
        );
    const first = await c.service(channel, { effects: [slow('first')] });
    const client = await c.client(channel);
    await client.emit({ type: 'Slow', payload: 'in-flight' });
    await c.waitFor(() => started.length === 1, 'the handler to start');

    const closing = first.close({ drainTimeout: 5_000 });
    // emitted while the first instance drains: it may still take it (then it finishes it too), or leave it queued
    if (kit.has('persistence')) await client.emit({ type: 'Slow', payload: 'during' });
    await closing;
    const byFirst = finished.filter(([instance]) => instance === 'first');
    expect(byFirst).toContainEqual(['first', 'in-flight']);
    expect(byFirst).toEqual(started.filter(([instance]) => instance === 'first'));
    expect(first.inFlight).toBe(0);
    expect(await c.deadLetters(channel)).toEqual([]);

    if (kit.has('persistence')) {
      // acknowledged: the next instance gets what the first left queued, and not the drained messages again
      await client.emit({ type: 'Slow', payload: 'later' });
      await c.service(channel, { effects: [slow('second')] });
      const done = (what: string) => finished.some(([, payload]) => payload === what);
      await c.waitFor(() => done('later') && done('during'), 'the messages emitted during and after close', () => finished);
      expect(finished.filter(([instance]) => instance === 'first')).toEqual(byFirst);
      expect(finished.map(([, what]) => what).sort()).toEqual(['during', 'in-flight', 'later']);
    }
  });

  kit.test("drain: when the drain gives up, the effect's AbortSignal fires and the message is delivered again, not lost", [], async c => {
    const channel = c.channel('drain-abort');
    const handled: Array<[instance: string, what: string]> = [];
    const aborted: string[] = [];
    const effect =
      (instance: string): MsgEffect =>
      e$ =>
        e$.pipe(
          matchEvent('Stuck'),
          act((e, { signal }) => {
            handled.push([instance, e.payload as string]);
            if (instance !== 'first') return;
            // work that only ends when it is told to stop, as a fetch given the signal would
            return new Promise<void>((_, reject) =>
              signal.addEventListener('abort', () => {
                aborted.push(instance);
                reject(signal.reason);
              }),
            );
          }),
        );
    const first = await c.service(channel, { effects: [effect('first')] });
    const client = await c.client(channel);
    await client.emit({ type: 'Stuck', payload: 'job-1' });
    await c.waitFor(() => handled.length === 1, 'the handler to start');
    await first.close({ drainTimeout: 300 });
    await c.waitFor(() => aborted.length === 1, 'the signal of the abandoned work to fire', () => aborted);
    expect(await c.deadLetters(channel)).toEqual([]);
    if (kit.has('persistence')) {
      await c.service(channel, { effects: [effect('second')] });
      await c.waitFor(() => handled.some(([instance]) => instance === 'second'), 'the abandoned message at the next instance', () => handled);
      expect(handled).toEqual([
        ['first', 'job-1'],
        ['second', 'job-1'],
      ]);
    }
  });
};
