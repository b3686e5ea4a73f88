import { act, matchEvent } from '@tributary/core';
import type { ConformanceKit } from './internal/ConformanceKit';

/**
 * Connection loss: the service and the client reconnect by themselves. On a transport that
 * persists, every emit that resolved is handled; on one that does not, the service resumes.
 */
export const reconnectCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  const title = kit.has('persistence')
    ? 'reconnect: after the connection is cut and restored, service and client resume; every resolved emit is handled'
    : 'reconnect: after the connection is cut and restored, service and client resume (at-most-once: what was sent during the outage may be gone)';
  kit.test(title, ['faultInjection'], async c => {
    const channel = c.channel('reconnect');
    const fault = await c.fault();
    const seen = new Set<string>();
    await c.service(channel, { effects: [e$ => e$.pipe(matchEvent('Tick'), act(e => void seen.add(e.payload as string)))] }, { fault });
    const client = await c.client(channel, { fault, extra: { timeout: 4_000 } });

    await client.emit({ type: 'Tick', payload: 'before' });
    await c.waitFor(() => seen.has('before'), 'the message emitted before the cut');

    await fault.cut();
    // an emit during the outage waits (up to its timeout) for the connection, or rejects clearly
    const during = client.emit({ type: 'Tick', payload: 'during' }).then(
      () => 'resolved' as const,
      (error: Error) => error,
    );
    await new Promise(resolve => setTimeout(resolve, 300)); // the outage lasts a while
    await fault.restore();
    const outcome = await during;

    if (kit.has('persistence')) {
      // 4 s of patience for a 0.3 s outage: an emit that waits for the connection makes it
      expect(outcome).toBe('resolved');
      await client.emit({ type: 'Tick', payload: 'after' });
      await c.waitFor(() => seen.has('during') && seen.has('after'), 'every resolved emit to be handled', () => [...seen]);
    } else {
      // at-most-once: what was sent while the service was away is gone; the service must resume
      let n = 0;
      await c.waitFor(
        async () => {
          await client.emit({ type: 'Tick', payload: `after-${++n}` }).catch(() => undefined);
          await new Promise(resolve => setTimeout(resolve, 100));
          return [...seen].some(what => what.startsWith('after-'));
        },
        'the service to handle messages again',
        () => [...seen],
      );
    }
  });
};
