import { createContextToken } from '@tributary/core';
import { Observable, Subject } from 'rxjs';
import type { AccountViewModel, Fact, TransferViewModel } from '../events';

/**
 * The read model: views shaped for the queries, built only from facts. It is not
 * idempotent by itself (a fact applied twice counts twice): `dedupe` on the bus makes sure
 * each fact reaches it once.
 */
export interface ReadModel {
  apply(fact: Fact): void;
  account(accountId: string): AccountViewModel | undefined;
  transfers(): TransferViewModel[];
  /** Each fact, once applied. */
  readonly applied$: Observable<Fact>;
}

export const ReadModelToken = createContextToken<ReadModel>('ReadModel');

export const createReadModel = (): ReadModel => {
  const accounts = new Map<string, AccountViewModel>();
  const transfers = new Map<string, TransferViewModel>();
  const applied = new Subject<Fact>();
  const move = (accountId: string, balance: number) => {
    const view = accounts.get(accountId);
    if (view) accounts.set(accountId, { ...view, balance, movements: view.movements + 1 });
  };
  const settle = (transferId: string, change: Partial<TransferViewModel>) => {
    const view = transfers.get(transferId);
    if (view) transfers.set(transferId, { ...view, ...change });
  };
  return {
    apply(fact) {
      switch (fact.type) {
        case 'AccountOpened':
          accounts.set(fact.payload.accountId, { ...fact.payload, balance: 0, movements: 0 });
          break;
        case 'MoneyDeposited':
        case 'MoneyWithdrawn':
          move(fact.payload.accountId, fact.payload.balance);
          break;
        case 'TransferRequested':
          transfers.set(fact.payload.transferId, { ...fact.payload, status: 'pending' });
          break;
        case 'TransferCompleted':
          settle(fact.payload.transferId, { status: 'completed' });
          break;
        case 'TransferFailed':
          settle(fact.payload.transferId, { status: 'failed', reason: fact.payload.reason });
          break;
      }
      applied.next(fact);
    },
    account: accountId => accounts.get(accountId),
    transfers: () => [...transfers.values()],
    applied$: applied.asObservable(),
  };
};
