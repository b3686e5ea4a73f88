import * as t from 'io-ts';
import { event } from '@tributary/core';

const isAmount = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0;
/** A positive, finite amount of money. */
export const Amount = new t.Type<number, number, unknown>('PositiveAmount', isAmount, (u, c) => (isAmount(u) ? t.success(u) : t.failure(u, c)), t.identity);

const Movement = t.intersection([t.type({ accountId: t.string, amount: Amount }), t.partial({ transferId: t.string })]);
const Transfer = t.type({ transferId: t.string, from: t.string, to: t.string, amount: Amount });

// ── commands: sent (request / reply), handled by the write side ──────────────────────────
export const OpenAccount = event('OpenAccount')(t.type({ accountId: t.string, owner: t.string }));
export const Deposit = event('Deposit')(Movement);
export const Withdraw = event('Withdraw')(Movement);
export const RequestTransfer = event('RequestTransfer')(Transfer);

// ── facts: published once they happened; the read model and the saga react ──────────────
export const AccountOpened = event('AccountOpened')(t.type({ accountId: t.string, owner: t.string }));
export const MoneyDeposited = event('MoneyDeposited')(t.intersection([Movement, t.type({ balance: t.number })]));
export const MoneyWithdrawn = event('MoneyWithdrawn')(t.intersection([Movement, t.type({ balance: t.number })]));
export const TransferRequested = event('TransferRequested')(Transfer);
export const TransferCompleted = event('TransferCompleted')(t.type({ transferId: t.string }));
export const TransferFailed = event('TransferFailed')(t.type({ transferId: t.string, reason: t.string }));

export const FACTS = [AccountOpened, MoneyDeposited, MoneyWithdrawn, TransferRequested, TransferCompleted, TransferFailed] as const;
export type Fact = ReturnType<(typeof FACTS)[number]['create']>;
const factTypes = new Set<string>(FACTS.map(f => f.type));
export const isFact = (e: { type: string }): boolean => factTypes.has(e.type);

// ── queries: sent, answered from the read model ───────────────────────────────────────────
export const GetAccount = event('GetAccount')(t.type({ accountId: t.string }));
export const ListTransfers = event('ListTransfers')();
export const AccountView = event('AccountView')(t.type({ accountId: t.string, owner: t.string, balance: t.number, movements: t.number }));
export const TransferList = event('TransferList')(
  t.type({
    transfers: t.array(
      t.intersection([
        Transfer,
        t.type({ status: t.union([t.literal('pending'), t.literal('completed'), t.literal('failed')]) }),
        t.partial({ reason: t.string }),
      ]),
    ),
  }),
);
export type AccountViewModel = ReturnType<typeof AccountView.create>['payload'];
export type TransferViewModel = ReturnType<typeof TransferList.create>['payload']['transfers'][number];
