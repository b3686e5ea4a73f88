import { act, EventError, matchEvent, useContext } from '@marblejs/core';
import { MsgEffect, reply } from '@marblejs/messaging';
import { of } from 'rxjs';
import { map } from 'rxjs/operators';
import { StockEvents } from './events';
import { StockRepositoryToken } from './stock.repository';

export const getStock$: MsgEffect = (event$, ctx) => {
  const repository = useContext(StockRepositoryToken)(ctx.ask);

  return event$.pipe(
    matchEvent(StockEvents.getStock),
    act(event =>
      of(event.payload.sku).pipe(
        map(sku => {
          const quantity = repository.quantityOf(sku);
          if (quantity === undefined) throw new EventError(event, `Unknown SKU "${sku}"`, { sku });
          return reply(event)(StockEvents.stock(sku, quantity));
        }),
      ),
    ),
  );
};

export const reserve$: MsgEffect = (event$, ctx) => {
  const repository = useContext(StockRepositoryToken)(ctx.ask);

  return event$.pipe(
    matchEvent(StockEvents.reserve),
    act(event => {
      const { sku, quantity } = event.payload;
      const available = repository.quantityOf(sku) ?? 0;
      if (quantity > available) throw new EventError(event, 'Not enough stock', { sku, available });
      return of(reply(event)(StockEvents.reserved(sku, quantity, repository.take(sku, quantity))));
    }),
  );
};

/** Emitted, not sent: nobody waits for an answer. */
export const restock$: MsgEffect = (event$, ctx) => {
  const repository = useContext(StockRepositoryToken)(ctx.ask);

  return event$.pipe(
    matchEvent(StockEvents.restock),
    act(event =>
      of(event).pipe(
        map(({ payload }) => repository.add(payload.sku, payload.quantity)),
        map(() => ({ type: 'RESTOCKED' })),
      ),
    ),
  );
};

/** A bug, as services have: a plain Error, not an EventError. */
export const audit$: MsgEffect = event$ =>
  event$.pipe(
    matchEvent('AUDIT'),
    act(_event => {
      throw new Error('Audit log unavailable');
    }),
  );
