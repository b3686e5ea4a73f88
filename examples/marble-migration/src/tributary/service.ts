import { bindEagerlyTo, bindTo, contextFactory, Logger, LoggerToken, lookup, useContext } from '@tributary/core';
import { EventBus, EventBusClient, EventBusClientToken, EventBusToken, MessagingClient, messagingListener } from '@tributary/messaging';
import { audit$, getStock$, reserve$, restock$ } from './stock.effects';
import { StockRepository, StockRepositoryToken } from './stock.repository';

const silentLogger: Logger = () => () => undefined;

export const listener = messagingListener({
  effects: [getStock$, reserve$, restock$, audit$],
});

export interface StockService {
  client: MessagingClient;
  close: () => Promise<void>;
}

/** The stock service on the in-process event bus, and a client of it. */
export const createStockService = async (timeout = 1000): Promise<StockService> => {
  const context = await contextFactory(
    bindTo(LoggerToken)(() => silentLogger),
    bindEagerlyTo(StockRepositoryToken)(StockRepository),
    bindEagerlyTo(EventBusToken)(EventBus({ listener, timeout })),
    bindEagerlyTo(EventBusClientToken)(EventBusClient),
  );
  const ask = lookup(context);
  const client = useContext(EventBusClientToken)(ask);
  const eventBus = useContext(EventBusToken)(ask);

  return {
    client,
    close: () => eventBus.close(),
  };
};
