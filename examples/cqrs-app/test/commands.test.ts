import { EventError } from '@tributary/core';
import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
import { dependencies } from '../src/app';
import { AccountOpened, Deposit, MoneyDeposited, MoneyWithdrawn, OpenAccount, RequestTransfer, Withdraw } from '../src/events';
import { listener } from '../src/listener';

describe('commands (write side)', () => {
  let bed: MessagingTestBed;
  beforeEach(async () => {
    bed = await createMessagingTestBed({ listener, dependencies: dependencies() });
    await bed.send(OpenAccount.create({ accountId: 'ada', owner: 'Ada' }));
  });
  afterEach(() => bed.close());

  it('replies with the fact and publishes it', async () => {
    await expect(bed.send(Deposit.create({ accountId: 'ada', amount: 50 }))).resolves.toMatchObject(MoneyDeposited.create({ accountId: 'ada', amount: 50, balance: 50 }));
    await expect(bed.send(Withdraw.create({ accountId: 'ada', amount: 20 }))).resolves.toMatchObject({ type: 'MoneyWithdrawn', payload: { balance: 30 } });
    const outputs = await bed.collect();
    // the published facts went through the bus (the bed) and are among what was sent
    const published = outputs.filter(e => e.metadata?.replyTo === undefined).map(e => e.type);
    expect(published).toEqual(expect.arrayContaining([AccountOpened.type, MoneyDeposited.type, MoneyWithdrawn.type]));
  });

  it('refuses what breaks a rule, with an EventError reply', async () => {
    const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: Error) => `${e instanceof EventError}: ${e.message}`);
    expect(await refusal(bed.send(Withdraw.create({ accountId: 'ada', amount: 1 })))).toBe('true: Insufficient funds on "ada": balance 0, asked 1');
    expect(await refusal(bed.send(Deposit.create({ accountId: 'nobody', amount: 1 })))).toBe('true: No account "nobody"');
    expect(await refusal(bed.send(OpenAccount.create({ accountId: 'ada', owner: 'Again' })))).toBe('true: Account "ada" already exists');
    expect(await refusal(bed.send(RequestTransfer.create({ transferId: 't', from: 'ada', to: 'ada', amount: 1 })))).toBe(
      'true: A transfer needs two different accounts',
    );
  });

  it('refuses invalid commands, naming the field', async () => {
    await expect(bed.send({ type: 'Deposit', payload: { accountId: 'ada', amount: 0 } })).rejects.toMatchObject({
      name: 'EventError',
      data: [{ path: expect.stringContaining('amount'), expected: 'PositiveAmount', received: 0 }],
    });
  });

  it('accepts a transfer id once', async () => {
    await bed.send(OpenAccount.create({ accountId: 'bob', owner: 'Bob' }));
    const transfer = RequestTransfer.create({ transferId: 't-1', from: 'ada', to: 'bob', amount: 1 });
    await expect(bed.send(transfer)).resolves.toMatchObject({ type: 'TransferRequested' });
    await expect(bed.send(transfer)).rejects.toThrow('Transfer "t-1" was already requested');
  });
});
