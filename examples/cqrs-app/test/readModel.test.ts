import { bindTo, Event } from '@tributary/core';
import { assertEffect, createMessagingTestBed } from '@tributary/testing';
import { dependencies } from '../src/app';
import { AccountOpened, AccountView, GetAccount, ListTransfers, MoneyDeposited, OpenAccount, TransferList, TransferRequested } from '../src/events';
import { listener } from '../src/listener';
import { projection$ } from '../src/read/projection.effect';
import { getAccount$ } from '../src/read/queries.effects';
import { createReadModel, ReadModelToken } from '../src/read/readModel';

describe('read side', () => {
  const metadata = { replyTo: 'caller', correlationId: 'q-1' };

  it('getAccount$ answers from the read model (marbles)', () => {
    const readModel = createReadModel();
    readModel.apply(AccountOpened.create({ accountId: 'ada', owner: 'Ada' }));
    readModel.apply(MoneyDeposited.create({ accountId: 'ada', amount: 5, balance: 5 }));
    assertEffect(
      getAccount$,
      ['-a-b-', { a: { ...GetAccount.create({ accountId: 'ada' }), metadata }, b: { ...GetAccount.create({ accountId: 'zoe' }), metadata } }],
      [
        '-v-e-',
        {
          v: { ...AccountView.create({ accountId: 'ada', owner: 'Ada', balance: 5, movements: 1 }), metadata },
          e: { type: 'GetAccount_UNHANDLED_ERROR', error: { name: 'EventError', message: 'No account "zoe"' }, metadata },
        },
      ],
      { dependencies: [bindTo(ReadModelToken)(readModel)] },
    );
  });

  it('projection$ applies each fact and emits nothing (marbles)', () => {
    const readModel = createReadModel();
    const facts: Record<string, Event> = {
      o: AccountOpened.create({ accountId: 'bob', owner: 'Bob' }),
      d: MoneyDeposited.create({ accountId: 'bob', amount: 7, balance: 7 }),
      t: TransferRequested.create({ transferId: 't-9', from: 'bob', to: 'ada', amount: 1 }),
    };
    assertEffect(projection$, ['o-d-t-x', { ...facts, x: { type: 'NotAFact' } }], ['-------'], { dependencies: [bindTo(ReadModelToken)(readModel)] });
    expect(readModel.account('bob')).toEqual({ accountId: 'bob', owner: 'Bob', balance: 7, movements: 1 });
    expect(readModel.transfers()).toEqual([{ transferId: 't-9', from: 'bob', to: 'ada', amount: 1, status: 'pending' }]);
  });

  it('queries see what commands did, once the facts are projected', async () => {
    const bed = await createMessagingTestBed({ listener, dependencies: dependencies() });
    await bed.send(OpenAccount.create({ accountId: 'ada', owner: 'Ada' }));
    await bed.idle();
    await expect(bed.send(GetAccount.create({ accountId: 'ada' }))).resolves.toMatchObject({ type: 'AccountView', payload: { balance: 0 } });
    await expect(bed.send(ListTransfers.create())).resolves.toMatchObject(TransferList.create({ transfers: [] }));
    await bed.close();
  });
});
