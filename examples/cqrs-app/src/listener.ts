import { dedupe, messagingListener } from '@tributary/messaging';
import { isFact } from './events';
import { projection$ } from './read/projection.effect';
import { queryEffects } from './read/queries.effects';
import { transferSaga$ } from './saga/transfer.saga';
import { commandEffects } from './write/commands.effects';

export const effects = [...commandEffects, ...queryEffects, projection$, transferSaga$];

/**
 * Facts are processed once per `metadata.id`, however often they are delivered: a
 * redelivered `MoneyDeposited` does not count twice in the read model, a redelivered
 * `TransferRequested` does not move the money twice. Commands and queries are left alone
 * (`key` → undefined): a `send` that dedupe dropped would get no reply.
 */
export const idempotentFacts = dedupe({ key: event => (isFact(event) ? event.metadata?.id : undefined) });

/** Everything on one bus: the write side, the read side and the saga. */
export const listener = messagingListener({ middlewares: [idempotentFacts], effects });
