import { act, matchEvent } from '@tributary/core';
import type { MessagingListenerConfig } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import type { ConformanceKit } from './internal/ConformanceKit';

/** An event no effect matches: a send fails at once, an emit is dead-lettered `unhandled`. */
export const unhandledCases = (kit: ConformanceKit): void => {
  const { expect } = kit;
  const known: MessagingListenerConfig = { effects: [e$ => e$.pipe(matchEvent('Known'), act(() => undefined))] };

  kit.test('unhandled: a send nobody handles fails fast with UnhandledEventError (not a timeout)', [], async c => {
    const channel = c.channel('unhandled-send');
    await c.service(channel, known);
    const client = await c.client(channel, { extra: { timeout: 5_000 } });
    const started = Date.now();
    const failure = await firstValueFrom(client.send({ type: 'Unknown' })).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.name).toBe('UnhandledEventError');
    expect(failure?.message).toContain('Unknown');
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  kit.test('unhandled: an emitted event nobody handles is dead-lettered with reason "unhandled"', [], async c => {
    const channel = c.channel('unhandled-emit');
    await c.service(channel, known);
    const client = await c.client(channel);
    await client.emit({ type: 'Unknown', payload: 1, metadata: { headers: { tenant: 'acme' } } });
    const [letter] = await c.deadLettersOf(channel, 1);
    expect(letter).toMatchObject({ type: 'Unknown', reason: 'unhandled', errorName: 'UnhandledEventError' });
    expect(letter.headers).toEqual({ tenant: 'acme' });
  });
};
