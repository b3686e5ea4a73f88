import { bindEagerlyTo, bindTo, contextFactory, createLogger, LoggerToken, lookup, useContext } from '@tributary/core';
import { EventBus, EventBusClient, EventBusClientToken, EventBusToken } from '@tributary/messaging';
import { filter, firstValueFrom } from 'rxjs';
import type { TransferViewModel } from './events';
import { listener } from './listener';
import { createReadModel, ReadModel, ReadModelToken } from './read/readModel';
import { AccountsToken, createAccounts } from './write/accounts';

export interface CqrsApp {
  /** Sends commands and queries, publishes facts, watches the bus (`event$`). */
  bus: EventBusClient;
  readModel: ReadModel;
  /** Resolves once the read model shows the transfer completed or failed. */
  transferSettled(transferId: string): Promise<TransferViewModel>;
  close(): Promise<void>;
}

/** The dependencies of the app; the EventBus runs the listener with them. */
export const dependencies = () => [
  bindTo(AccountsToken)(() => createAccounts()),
  bindTo(ReadModelToken)(() => createReadModel()),
];

/** Starts the app on the in-process EventBus. */
export const createCqrsApp = async (): Promise<CqrsApp> => {
  const context = await contextFactory(
    bindTo(LoggerToken)(() => createLogger({ level: 'warn' })),
    ...dependencies(),
    bindEagerlyTo(EventBusToken)(EventBus({ listener, timeout: 5000 })),
    bindTo(EventBusClientToken)(EventBusClient),
  );
  const ask = lookup(context);
  const readModel = useContext(ReadModelToken)(ask);
  const transfer = (id: string) => readModel.transfers().find(t => t.transferId === id);
  return {
    bus: useContext(EventBusClientToken)(ask),
    readModel,
    transferSettled: async transferId => {
      const settled = () => transfer(transferId)?.status !== 'pending' && transfer(transferId) !== undefined;
      if (!settled()) await firstValueFrom(readModel.applied$.pipe(filter(settled)));
      return transfer(transferId)!;
    },
    close: () => useContext(EventBusToken)(ask).close({ drainTimeout: 2000 }),
  };
};
