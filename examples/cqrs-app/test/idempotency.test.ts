import { useContext } from '@tributary/core';
import { messagingListener } from '@tributary/messaging';
import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
import { dependencies } from '../src/app';
import { AccountOpened, Deposit, MoneyDeposited, OpenAccount, TransferRequested } from '../src/events';
import { effects, listener } from '../src/listener';
import { ReadModelToken } from '../src/read/readModel';
import { AccountsToken } from '../src/write/accounts';

/** A broker delivers at least once: the same fact (same metadata.id) may arrive twice. */
describe('idempotent fact handlers (dedupe)', () => {
  let bed: MessagingTestBed;
  afterEach(() => bed.close());

  const start = async (withDedupe: boolean) => {
    bed = await createMessagingTestBed({ listener: withDedupe ? listener : messagingListener({ effects }), dependencies: dependencies() });
    for (const id of ['ada', 'bob']) await bed.send(OpenAccount.create({ accountId: id, owner: id }));
    await bed.send(Deposit.create({ accountId: 'ada', amount: 100 }));
    await bed.idle();
  };
  const balances = () => ['ada', 'bob'].map(id => useContext(ReadModelToken)(bed.ask).account(id)?.balance);

  it('projects a fact delivered twice once', async () => {
    await start(true);
    const fact = { ...MoneyDeposited.create({ accountId: 'bob', amount: 5, balance: 5 }), metadata: { id: 'fact-1' } };
    await bed.publish(fact);
    await bed.publish(fact);
    await bed.idle();
    expect(useContext(ReadModelToken)(bed.ask).account('bob')).toMatchObject({ balance: 5, movements: 1 });
  });

  it('runs the saga once for a TransferRequested delivered twice', async () => {
    await start(true);
    useContext(AccountsToken)(bed.ask).claimTransfer('t-1'); // as RequestTransfer would have
    const fact = { ...TransferRequested.create({ transferId: 't-1', from: 'ada', to: 'bob', amount: 30 }), metadata: { id: 'fact-2' } };
    await Promise.all([bed.publish(fact), bed.publish(fact)]);
    await bed.idle();
    expect(balances()).toEqual([70, 30]);
  });

  it('without dedupe, the same redelivery moves the money twice (why the middleware is there)', async () => {
    await start(false);
    const fact = { ...TransferRequested.create({ transferId: 't-1', from: 'ada', to: 'bob', amount: 30 }), metadata: { id: 'fact-2' } };
    await Promise.all([bed.publish(fact), bed.publish(fact)]);
    await bed.idle();
    expect(balances()).toEqual([40, 60]);
  });

  it('leaves commands and queries alone: a re-sent command gets its (refusal) reply', async () => {
    await start(true);
    const open = { ...OpenAccount.create({ accountId: 'cy', owner: 'Cy' }), metadata: { id: 'cmd-1' } };
    await expect(bed.send(open)).resolves.toMatchObject({ type: AccountOpened.type });
    await expect(bed.send(open)).rejects.toThrow('Account "cy" already exists');
  });
});
