import { act, Event, EventError, eventValidator$, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken, MsgEffect, reply } from '@tributary/messaging';
import { AccountOpened, Deposit, MoneyDeposited, MoneyWithdrawn, OpenAccount, RequestTransfer, TransferRequested, Withdraw } from '../events';
import { AccountsToken, DomainError } from './accounts';

/** Runs a command against the write model: publishes the fact, replies with it; a broken rule becomes an EventError reply. */
const handle =
  <C extends Event>(command: C, bus: { publish(e: Event): Promise<void> }) =>
  async (decide: () => Event): Promise<Event> => {
    let fact: Event;
    try {
      fact = decide();
    } catch (error) {
      if (error instanceof DomainError) throw new EventError(command, error.message);
      throw error;
    }
    // the fact keeps the command's correlation id: what a command caused can be followed
    await bus.publish({ ...fact, metadata: { correlationId: command.metadata?.correlationId } });
    return reply(command)(fact);
  };

export const openAccount$: MsgEffect = (event$, ctx) => {
  const accounts = useContext(AccountsToken)(ctx.ask);
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(OpenAccount),
    act(eventValidator$(OpenAccount)),
    act(command =>
      handle(command, bus)(() => {
        accounts.open(command.payload.accountId, command.payload.owner);
        return AccountOpened.create(command.payload);
      }),
    ),
  );
};

export const deposit$: MsgEffect = (event$, ctx) => {
  const accounts = useContext(AccountsToken)(ctx.ask);
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(Deposit),
    act(eventValidator$(Deposit)),
    act(command =>
      handle(command, bus)(() => {
        const balance = accounts.deposit(command.payload.accountId, command.payload.amount);
        return MoneyDeposited.create({ ...command.payload, balance });
      }),
    ),
  );
};

export const withdraw$: MsgEffect = (event$, ctx) => {
  const accounts = useContext(AccountsToken)(ctx.ask);
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(Withdraw),
    act(eventValidator$(Withdraw)),
    act(command =>
      handle(command, bus)(() => {
        const balance = accounts.withdraw(command.payload.accountId, command.payload.amount);
        return MoneyWithdrawn.create({ ...command.payload, balance });
      }),
    ),
  );
};

/** Accepts a transfer (once per transfer id); the saga carries it out. */
export const requestTransfer$: MsgEffect = (event$, ctx) => {
  const accounts = useContext(AccountsToken)(ctx.ask);
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(RequestTransfer),
    act(eventValidator$(RequestTransfer)),
    act(command =>
      handle(command, bus)(() => {
        if (command.payload.from === command.payload.to) throw new DomainError('A transfer needs two different accounts');
        accounts.claimTransfer(command.payload.transferId);
        return TransferRequested.create(command.payload);
      }),
    ),
  );
};

export const commandEffects = [openAccount$, deposit$, withdraw$, requestTransfer$];
