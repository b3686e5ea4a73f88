import { createContextToken } from '@tributary/core';

/** A rule of the domain was broken; the command is refused (its caller gets an EventError reply). */
export class DomainError extends Error {
  override readonly name = 'DomainError';
}

/** The write model: accounts and their balances, with the rules that keep them right. */
export interface Accounts {
  open(accountId: string, owner: string): void;
  /** Returns the new balance. */
  deposit(accountId: string, amount: number): number;
  /** Returns the new balance; refuses to go below zero. */
  withdraw(accountId: string, amount: number): number;
  /** Records a transfer id; refuses one already seen (a command sent twice). */
  claimTransfer(transferId: string): void;
}

export const AccountsToken = createContextToken<Accounts>('Accounts');

export const createAccounts = (): Accounts => {
  const balances = new Map<string, number>();
  const transfers = new Set<string>();
  const balanceOf = (accountId: string): number => {
    const balance = balances.get(accountId);
    if (balance === undefined) throw new DomainError(`No account "${accountId}"`);
    return balance;
  };
  return {
    open(accountId) {
      if (balances.has(accountId)) throw new DomainError(`Account "${accountId}" already exists`);
      balances.set(accountId, 0);
    },
    deposit(accountId, amount) {
      const balance = balanceOf(accountId) + amount;
      balances.set(accountId, balance);
      return balance;
    },
    withdraw(accountId, amount) {
      const balance = balanceOf(accountId);
      if (balance < amount) throw new DomainError(`Insufficient funds on "${accountId}": balance ${balance}, asked ${amount}`);
      balances.set(accountId, balance - amount);
      return balance - amount;
    },
    claimTransfer(transferId) {
      if (transfers.has(transferId)) throw new DomainError(`Transfer "${transferId}" was already requested`);
      transfers.add(transferId);
    },
  };
};
