import { bindTo, Event } from '@tributary/core';
import { assertEffect, createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
import { runScenario } from '../src/scenario';
import { StockEvents } from '../src/tributary/events';
import { listener } from '../src/tributary/service';
import { getStock$, reserve$ } from '../src/tributary/stock.effects';
import { StockRepository, StockRepositoryToken } from '../src/tributary/stock.repository';

const metadata = { replyTo: 'caller', correlationId: 'c-1' };
const withMetadata = (event: Event) => ({ ...event, metadata });

describe('the ported effects (marbles)', () => {
  it('getStock$ replies with the quantity, or an EventError for an unknown SKU', () => {
    assertEffect(
      getStock$,
      ['-a-b-', { a: withMetadata(StockEvents.getStock('desk')), b: withMetadata(StockEvents.getStock('sofa')) }],
      [
        '-s-e-',
        {
          s: withMetadata(StockEvents.stock('desk', 1)),
          e: { type: 'GET_STOCK_UNHANDLED_ERROR', error: { name: 'EventError', message: 'Unknown SKU "sofa"', data: { sku: 'sofa' } }, metadata },
        },
      ],
      { dependencies: [bindTo(StockRepositoryToken)(StockRepository)] },
    );
  });

  it('reserve$ takes from the stock until it runs out', () => {
    assertEffect(
      reserve$,
      ['-a-a-', { a: withMetadata(StockEvents.reserve('desk', 1)) }],
      [
        '-r-e-',
        {
          r: withMetadata(StockEvents.reserved('desk', 1, 0)),
          e: { type: 'RESERVE_UNHANDLED_ERROR', error: { name: 'EventError', message: 'Not enough stock', data: { sku: 'desk', available: 0 } }, metadata },
        },
      ],
      { dependencies: [bindTo(StockRepositoryToken)(StockRepository)] },
    );
  });
});

describe('the ported service (test bed)', () => {
  let bed: MessagingTestBed;
  afterEach(() => bed.close());

  it('runs the migration scenario', async () => {
    bed = await createMessagingTestBed({ listener, dependencies: [bindTo(StockRepositoryToken)(StockRepository)] });
    const results = await runScenario(bed.client);
    expect(results.map(r => r.outcome && ('type' in r.outcome ? r.outcome.type : r.outcome.error))).toEqual([
      'STOCK',
      'RESERVED',
      'EventError',
      'EventError',
      undefined,
      'STOCK',
      'Error',
    ]);
  });

  it('takes a stub repository per test', async () => {
    const stub: StockRepository = { quantityOf: () => 42, take: (_sku, q) => 42 - q, add: (_sku, q) => 42 + q };
    bed = await createMessagingTestBed({ listener, dependencies: [bindTo(StockRepositoryToken)(StockRepository), bindTo(StockRepositoryToken)(() => stub)] });
    await expect(bed.send(StockEvents.getStock('anything'))).resolves.toMatchObject({ type: 'STOCK', payload: { quantity: 42 } });
  });

  it('restocks on an emitted event', async () => {
    bed = await createMessagingTestBed({ listener, dependencies: [bindTo(StockRepositoryToken)(StockRepository)] });
    await bed.emit(StockEvents.restock('desk', 4));
    await bed.idle();
    await expect(bed.send(StockEvents.getStock('desk'))).resolves.toMatchObject({ payload: { quantity: 5 } });
  });
});
