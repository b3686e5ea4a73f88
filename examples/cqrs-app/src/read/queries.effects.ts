import { act, EventError, eventValidator$, matchEvent, useContext } from '@tributary/core';
import { MsgEffect, reply } from '@tributary/messaging';
import { AccountView, GetAccount, ListTransfers, TransferList } from '../events';
import { ReadModelToken } from './readModel';

/** Answers GetAccount from the read model (eventually consistent with the write side). */
export const getAccount$: MsgEffect = (event$, ctx) => {
  const readModel = useContext(ReadModelToken)(ctx.ask);
  return event$.pipe(
    matchEvent(GetAccount),
    act(eventValidator$(GetAccount)),
    act(query => {
      const view = readModel.account(query.payload.accountId);
      if (!view) throw new EventError(query, `No account "${query.payload.accountId}"`);
      return reply(query)(AccountView.create(view));
    }),
  );
};

export const listTransfers$: MsgEffect = (event$, ctx) => {
  const readModel = useContext(ReadModelToken)(ctx.ask);
  return event$.pipe(
    matchEvent(ListTransfers),
    act(query => reply(query)(TransferList.create({ transfers: readModel.transfers() }))),
  );
};

export const queryEffects = [getAccount$, listTransfers$];
