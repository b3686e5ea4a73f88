import { Event, getDeliveryTracker } from '@tributary/core';
import { firstValueFrom } from 'rxjs';
import { createCqrsApp } from './app';
import { AccountViewModel, Deposit, GetAccount, isFact, ListTransfers, OpenAccount, RequestTransfer, TransferViewModel } from './events';

export interface ScenarioResult {
  accounts: AccountViewModel[];
  transfers: TransferViewModel[];
  /** Refusals the callers got, as `Name: message`. */
  refusals: string[];
  /** Every event the bus received, in order. */
  received: Event[];
}

const kindOf = (e: Event) => (isFact(e) ? 'fact   ' : /^(Get|List)/.test(e.type) ? 'query  ' : 'command');

/** Opens two accounts, moves money around (one transfer succeeds, two fail), replays a fact, queries. */
export const runScenario = async (print = true): Promise<ScenarioResult> => {
  const app = await createCqrsApp();
  const { bus } = app;
  const received: Event[] = [];
  const refusals: string[] = [];
  const log = (line: string) => print && console.log(line);
  // inputs carry their delivery; what the bus sends back (replies) does not
  const watching = bus.event$.subscribe(e => {
    if (!getDeliveryTracker(e)) return;
    received.push(e);
    log(`  ${kindOf(e)} ${e.type.padEnd(18)} ${JSON.stringify(e.payload ?? {})}`);
  });
  const send = (e: Event) =>
    firstValueFrom(bus.send(e)).catch((error: Error) => {
      refusals.push(`${error.name}: ${error.message}`);
      log(`  ✘ ${e.type} refused: ${error.message}`);
    });

  try {
    await send(OpenAccount.create({ accountId: 'ada', owner: 'Ada Lovelace' }));
    await send(OpenAccount.create({ accountId: 'bob', owner: 'Bob Kahn' }));
    await send(Deposit.create({ accountId: 'ada', amount: 100 }));
    await send(Deposit.create({ accountId: 'ada', amount: -5 }));

    const transfers = [
      { transferId: 't-1', from: 'ada', to: 'bob', amount: 30 }, // completes
      { transferId: 't-2', from: 'bob', to: 'ada', amount: 500 }, // bob has too little
      { transferId: 't-3', from: 'ada', to: 'zoe', amount: 10 }, // no such account: ada is refunded
    ];
    for (const transfer of transfers) {
      await send(RequestTransfer.create(transfer));
      const settled = await app.transferSettled(transfer.transferId);
      log(`  → ${settled.transferId} ${settled.status}${settled.reason ? ` (${settled.reason})` : ''}`);
    }

    await send(RequestTransfer.create(transfers[0])); // the same command again: refused by the write side
    // a broker may deliver a fact twice: publish t-1's TransferRequested again, same id
    const requested = received.find(e => e.type === 'TransferRequested')!;
    log('  (replaying the TransferRequested fact of t-1 with its id: dedupe drops it)');
    await bus.publish({ type: requested.type, payload: requested.payload, metadata: { id: requested.metadata!.id } });

    const ada = await firstValueFrom(bus.send(GetAccount.create({ accountId: 'ada' })));
    const bob = await firstValueFrom(bus.send(GetAccount.create({ accountId: 'bob' })));
    const list = await firstValueFrom(bus.send(ListTransfers.create()));
    return {
      accounts: [ada.payload as AccountViewModel, bob.payload as AccountViewModel],
      transfers: (list.payload as { transfers: TransferViewModel[] }).transfers,
      refusals,
      received,
    };
  } finally {
    watching.unsubscribe();
    await app.close();
  }
};
