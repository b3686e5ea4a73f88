import type { EffectContext, Event } from '@tributary/core';
import type { Task } from 'fp-ts/Task';
import type { TransportLayerConnection } from '../transport/transport.interface';
import { asListenerDelivery } from '../server/microservice.interface';

const settle =
  (outcome: 'ack' | 'reject' | 'resend') =>
  (ctx: EffectContext<TransportLayerConnection>) =>
  (event: Event): Task<boolean> =>
  async () => {
    const delivery = asListenerDelivery(event);
    if (delivery) return delivery.settle(outcome);
    const client = ctx.client;
    const raw = event.metadata?.raw;
    if (outcome === 'ack') await client.ackMessage(raw);
    else await client.nackMessage(raw, outcome === 'resend');
    return true;
  };

/**
 * Acknowledges an event in manual mode (`expectAck: true`): the broker forgets it. Returns
 * an fp-ts `Task` (run it) that resolves once the transport has carried the acknowledgement
 * out (the broker has it: work done after the `await` is not undone by a crash, and not
 * redone either): true then, false when the event was settled already or the acknowledgement
 * failed (the error goes to `error$` and the broker delivers the event again).
 *
 * @example
 * ```ts
 * import { act, matchEvent } from '@tributary/core';
 * import { ackEvent, MsgEffect } from '@tributary/messaging';
 * import { from, map } from 'rxjs';
 * export const audit$: MsgEffect = (event$, ctx) =>
 *   event$.pipe(
 *     matchEvent('AuditLog'),
 *     act(event => from(ackEvent(ctx)(event)()).pipe(map(() => ({ type: 'AuditStored' })))),
 *   );
 * ```
 * @since 0.1.0
 * @category ack
 */
export const ackEvent = settle('ack');

/**
 * Rejects an event in manual mode: it is dead-lettered with reason `rejected`.
 * @example
 * ```ts
 * import { nackEvent } from '@tributary/messaging';
 * // act(event => from(nackEvent(ctx)(event)()))
 * export const reject = nackEvent;
 * ```
 * @since 0.1.0
 * @category ack
 */
export const nackEvent = settle('reject');

/**
 * Rejects an event in manual mode and puts it back at once, to be delivered again.
 * @example
 * ```ts
 * import { nackAndResendEvent } from '@tributary/messaging';
 * // act(event => from(nackAndResendEvent(ctx)(event)()))
 * export const resend = nackAndResendEvent;
 * ```
 * @since 0.1.0
 * @category ack
 */
export const nackAndResendEvent = settle('resend');
