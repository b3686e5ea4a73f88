import { act, matchEvent } from '@tributary/core';
import { reply } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import type { ConformanceKit } from './internal/ConformanceKit';

const later = <T>(ms: number, value: T): Promise<T> => new Promise(resolve => setTimeout(() => resolve(value), ms));

/** send: request / reply, each caller gets its own reply, remote errors come back as errors. */
export const sendCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('send: the reply comes back to the caller', [], async c => {
    const channel = c.channel('send');
    await c.service(channel, {
      effects: [e$ => e$.pipe(matchEvent('Double'), act(e => reply(e)({ type: 'Doubled', payload: (e.payload as number) * 2 })))],
    });
    const client = await c.client(channel);
    const answer = await firstValueFrom(client.send({ type: 'Double', payload: 21 }));
    expect(answer.type).toBe('Doubled');
    expect(answer.payload).toBe(42);
  });

  kit.test('send: two concurrent sends each get their own reply (the first answered last)', [], async c => {
    const channel = c.channel('send-concurrent');
    await c.service(channel, {
      effects: [
        e$ =>
          e$.pipe(
            matchEvent('Echo'),
            // the first call is answered after the second one
            act(e => later(e.payload === 'first' ? 300 : 10, reply(e)({ type: 'Echoed', payload: e.payload }))),
          ),
      ],
    });
    const client = await c.client(channel);
    const [first, second] = await Promise.all([
      firstValueFrom(client.send({ type: 'Echo', payload: 'first' })),
      firstValueFrom(client.send({ type: 'Echo', payload: 'second' })),
    ]);
    expect(first.payload).toBe('first');
    expect(second.payload).toBe('second');
  });

  kit.test('send: an error thrown by the effect rejects the caller with its name and message', [], async c => {
    const channel = c.channel('send-error');
    await c.service(channel, {
      effects: [
        e$ =>
          e$.pipe(
            matchEvent('GetOrder'),
            act(() => {
              throw new RangeError('no order o-404');
            }),
          ),
      ],
    });
    const client = await c.client(channel);
    const failure = await firstValueFrom(client.send({ type: 'GetOrder', payload: 'o-404' })).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.name).toBe('RangeError');
    expect(failure?.message).toBe('no order o-404');
  });
};
