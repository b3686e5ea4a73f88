import { act, Event, matchEvent, useContext } from '@tributary/core';
import { EventBusClientToken, MsgEffect } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { Deposit, TransferCompleted, TransferFailed, TransferRequested, Withdraw } from '../events';

/**
 * The transfer saga, as an effect: on `TransferRequested` it withdraws from the source,
 * deposits to the target, and publishes `TransferCompleted`. When the withdrawal is refused
 * it publishes `TransferFailed`; when the deposit is refused it pays the source back first
 * (compensation). Each step is a command sent on the bus, carrying the transfer id.
 */
export const transferSaga$: MsgEffect = (event$, ctx) => {
  const bus = useContext(EventBusClientToken)(ctx.ask);
  return event$.pipe(
    matchEvent(TransferRequested),
    act(async ({ payload: { transferId, from, to, amount } }) => {
      const command = (event: Event) => firstValueFrom(bus.send(event));
      const fail = (reason: string) => bus.publish(TransferFailed.create({ transferId, reason }));
      try {
        await command(Withdraw.create({ accountId: from, amount, transferId }));
      } catch (error) {
        return fail(`withdrawal refused: ${(error as Error).message}`);
      }
      try {
        await command(Deposit.create({ accountId: to, amount, transferId }));
      } catch (error) {
        await command(Deposit.create({ accountId: from, amount, transferId })); // pay back
        return fail(`deposit refused, source refunded: ${(error as Error).message}`);
      }
      await bus.publish(TransferCompleted.create({ transferId }));
    }),
  );
};
