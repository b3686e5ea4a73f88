import { useContext } from '@tributary/core';
import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
import { dependencies } from '../src/app';
import { Deposit, OpenAccount, RequestTransfer, TransferCompleted, TransferFailed } from '../src/events';
import { listener } from '../src/listener';
import { ReadModelToken } from '../src/read/readModel';

describe('the transfer saga', () => {
  let bed: MessagingTestBed;
  const balances = () => ['ada', 'bob'].map(id => useContext(ReadModelToken)(bed.ask).account(id)?.balance);
  const facts = async () => (await bed.collect()).filter(e => e.type === TransferCompleted.type || e.type === TransferFailed.type).map(e => e.payload);

  beforeEach(async () => {
    bed = await createMessagingTestBed({ listener, dependencies: dependencies() });
    await bed.send(OpenAccount.create({ accountId: 'ada', owner: 'Ada' }));
    await bed.send(OpenAccount.create({ accountId: 'bob', owner: 'Bob' }));
    await bed.send(Deposit.create({ accountId: 'ada', amount: 100 }));
  });
  afterEach(() => bed.close());

  it('withdraws, deposits and publishes TransferCompleted', async () => {
    await bed.send(RequestTransfer.create({ transferId: 't-1', from: 'ada', to: 'bob', amount: 40 }));
    expect(await facts()).toEqual([{ transferId: 't-1' }]);
    expect(balances()).toEqual([60, 40]);
  });

  it('publishes TransferFailed when the withdrawal is refused, and moves nothing', async () => {
    await bed.send(RequestTransfer.create({ transferId: 't-2', from: 'bob', to: 'ada', amount: 1 }));
    expect(await facts()).toEqual([{ transferId: 't-2', reason: 'withdrawal refused: Insufficient funds on "bob": balance 0, asked 1' }]);
    expect(balances()).toEqual([100, 0]);
  });

  it('pays the source back when the deposit is refused (compensation)', async () => {
    await bed.send(RequestTransfer.create({ transferId: 't-3', from: 'ada', to: 'zoe', amount: 10 }));
    expect(await facts()).toEqual([{ transferId: 't-3', reason: 'deposit refused, source refunded: No account "zoe"' }]);
    expect(balances()).toEqual([100, 0]);
    expect(useContext(ReadModelToken)(bed.ask).account('ada')?.movements).toBe(3); // deposit, withdrawal, refund
  });

  it('runs concurrent transfers independently', async () => {
    await Promise.all(
      [1, 2, 3, 4, 5].map(i => bed.send(RequestTransfer.create({ transferId: `t-${i}`, from: 'ada', to: 'bob', amount: 10 }))),
    );
    expect(await facts()).toHaveLength(5);
    expect(balances()).toEqual([50, 50]);
  });
});
