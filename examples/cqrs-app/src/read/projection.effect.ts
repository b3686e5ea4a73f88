import { act, matchEvent, useContext } from '@tributary/core';
import type { MsgEffect } from '@tributary/messaging';
import { AccountOpened, Fact, MoneyDeposited, MoneyWithdrawn, TransferCompleted, TransferFailed, TransferRequested } from '../events';
import { ReadModelToken } from './readModel';

/** Keeps the read model up to date: every fact, applied as it is published. */
export const projection$: MsgEffect = (event$, ctx) => {
  const readModel = useContext(ReadModelToken)(ctx.ask);
  return event$.pipe(
    matchEvent(AccountOpened, MoneyDeposited, MoneyWithdrawn, TransferRequested, TransferCompleted, TransferFailed),
    act(fact => readModel.apply(fact as Fact)),
  );
};
