import { act, matchEvent } from '@tributary/core';
import { ignoreElements, tap } from 'rxjs';
import type { ConformanceKit } from './internal/ConformanceKit';

const NOT_JSON = 'this is not JSON {';
const NO_TYPE = '{"payload":{"orderId":"o-1"}}';

/** Bytes that are no event never crash a consumer: dead-lettered `malformed`, reported on error$. */
export const malformedCases = (kit: ConformanceKit): void => {
  const { expect } = kit;

  kit.test('malformed: foreign bytes are dead-lettered with reason "malformed" and reported on error$, while good messages flow', [], async c => {
    const channel = c.channel('malformed');
    const seen: unknown[] = [];
    const errors: Error[] = [];
    await c.service(channel, {
      effects: [e$ => e$.pipe(matchEvent('Good'), act(e => void seen.push(e.payload)))],
      error$: error$ =>
        error$.pipe(
          tap(error => errors.push(error)),
          ignoreElements(),
        ),
    });
    const client = await c.client(channel);
    await client.emit({ type: 'Good', payload: 1 });
    await c.setup.injectRaw(channel, Buffer.from(NOT_JSON, 'utf8'));
    await c.setup.injectRaw(channel, Buffer.from(NO_TYPE, 'utf8'));
    await client.emit({ type: 'Good', payload: 2 });
    await c.waitFor(() => seen.length === 2, 'the good messages around the bad ones', () => seen);
    const letters = await c.deadLettersOf(channel, 2);
    expect(seen).toEqual([1, 2]);
    expect(letters.map(letter => letter.reason)).toEqual(['malformed', 'malformed']);
    expect(letters.map(letter => letter.errorName)).toEqual(['MalformedMessageError', 'MalformedMessageError']);
    // the dead letter keeps the bytes as they came, for inspection and redrive
    expect(letters.map(letter => letter.body?.toString('utf8'))).toEqual([NOT_JSON, NO_TYPE]);
    await c.waitFor(() => errors.length >= 2, 'error$ to report both', () => errors.map(e => e.name));
    expect(errors.map(error => error.name)).toEqual(['MalformedMessageError', 'MalformedMessageError']);
  });
};
