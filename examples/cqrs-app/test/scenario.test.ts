import { runScenario } from '../src/scenario';

describe('the scenario (npm start) on a real EventBus', () => {
  it('ends with the balances and transfer outcomes the read model shows', async () => {
    const { accounts, transfers, refusals } = await runScenario(false);
    expect(accounts).toEqual([
      { accountId: 'ada', owner: 'Ada Lovelace', balance: 70, movements: 4 },
      { accountId: 'bob', owner: 'Bob Kahn', balance: 30, movements: 1 },
    ]);
    expect(transfers.map(t => [t.transferId, t.status])).toEqual([
      ['t-1', 'completed'],
      ['t-2', 'failed'],
      ['t-3', 'failed'],
    ]);
    expect(refusals).toEqual([
      expect.stringContaining('expected PositiveAmount, received -5'),
      'EventError: Transfer "t-1" was already requested',
    ]);
  });
});
