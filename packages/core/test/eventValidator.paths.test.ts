import * as t from 'io-ts';
import { act, EventError, eventValidator$ } from '@tributary/core';
import { firstValueFrom, of } from 'rxjs';

describe('eventValidator$ paths', () => {
  it('leaves intersection and union members out of the path', async () => {
    const Deposit = t.intersection([t.type({ account: t.string }), t.type({ amount: t.number })]);
    const error = await firstValueFrom(of({ type: 'Deposit', payload: { account: 'a', amount: 'ten' } }).pipe(act(eventValidator$(Deposit)))).then(
      e => (e as { error?: unknown }).error,
    );
    expect(error).toMatchObject({ name: 'EventError', data: [{ path: 'payload.amount', expected: 'number', received: 'ten' }] });
    const direct = await firstValueFrom(eventValidator$(Deposit)({ type: 'Deposit', payload: { account: 1, amount: 1 } })).catch(e => e);
    expect(direct).toBeInstanceOf(EventError);
    expect(direct.data).toEqual([{ path: 'payload.account', expected: 'string', received: 1 }]);
  });
});
