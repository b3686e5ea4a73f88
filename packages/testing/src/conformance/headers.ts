import { act, matchEvent } from '@tributary/core';
import { reply } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import type { ConformanceKit } from './internal/ConformanceKit';

const HEADERS = { tenant: 'acme', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'x-request-id': 'r-1' };

/** User headers travel end to end: to the effect, to the outputs it causes, back with a reply. */
export const headersCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('headers: an emitted event reaches the effect with its headers, and an output it causes carries them on', [], async c => {
    const channel = c.channel('headers');
    const seen: Array<[type: string, headers: unknown]> = [];
    await c.service(channel, {
      effects: [
        e$ =>
          e$.pipe(
            matchEvent('Placed'),
            act(e => {
              seen.push([e.type, e.metadata?.headers]);
              // no metadata: caused by the input, back to this service's channel
              return { type: 'Confirmed' };
            }),
          ),
        e$ => e$.pipe(matchEvent('Confirmed'), act(e => void seen.push([e.type, e.metadata?.headers]))),
      ],
    });
    const client = await c.client(channel);
    await client.emit({ type: 'Placed', payload: 1, metadata: { headers: HEADERS } });
    await c.waitFor(() => seen.length === 2, 'the event and the output it caused', () => seen);
    expect(seen).toEqual([
      ['Placed', HEADERS],
      ['Confirmed', HEADERS],
    ]);
  });

  kit.test('headers: a request reaches the effect with its headers, and the reply brings them back', [], async c => {
    const channel = c.channel('headers-send');
    const seen: unknown[] = [];
    await c.service(channel, {
      effects: [
        e$ =>
          e$.pipe(
            matchEvent('Lookup'),
            act(e => {
              seen.push(e.metadata?.headers);
              return reply(e)({ type: 'Found', payload: e.payload });
            }),
          ),
      ],
    });
    const client = await c.client(channel);
    const answer = await firstValueFrom(client.send({ type: 'Lookup', payload: 'o-1', metadata: { headers: HEADERS } }));
    expect(seen).toEqual([HEADERS]);
    expect(answer.metadata?.headers).toEqual(HEADERS);
  });
};
