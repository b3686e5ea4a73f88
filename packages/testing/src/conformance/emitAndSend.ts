import { firstValueFrom } from 'rxjs';
import { act, contextFactory, matchEvent } from '@tributary/core';
import type { Event } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, reply } from '@tributary/messaging';
import type { Transport } from '@tributary/messaging';

/** What {@link emitAndSend} saw. */
export interface EmitAndSendResult {
  /** The payloads the service received from the emit (`[42]` when it worked). */
  readonly received: unknown[];
  /** The service's answer to the send (`{ type: 'Doubled', payload: 42 }` when it worked). */
  readonly answer: Event;
}

/**
 * Checks that a connection setup works end to end (TLS, credentials, a host): starts a
 * microservice and a client with `options`, emits `Secure` (payload 42) and waits until the
 * service received it (`wait` ms at most), sends `Double` (payload 21) and takes the answer,
 * then closes both. Rejects when a connection fails (the transport's error, as is).
 *
 * @example
 * ```ts
 * import { Transport } from '@tributary/messaging';
 * import { emitAndSend } from '@tributary/testing/conformance';
 *
 * const { received, answer } = await emitAndSend(Transport.NATS, { host: 'nats://127.0.0.1:4222', channel: 'tls-check' });
 * // received: [42]; answer: { type: 'Doubled', payload: 42, ... }
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const emitAndSend = async (transport: Transport, options: object, wait = 10_000): Promise<EmitAndSendResult> => {
  const received: unknown[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const microservice = await createMicroservice({
      transport,
      options: options as never,
      listener: messagingListener({
        effects: [
          e$ => e$.pipe(matchEvent('Secure'), act(e => void received.push(e.payload))),
          e$ => e$.pipe(matchEvent('Double'), act(e => reply(e)({ type: 'Doubled', payload: (e.payload as number) * 2 }))),
        ],
      }),
    });
    const service = await microservice();
    closers.push(() => service.close());
    const client = await MessagingClient({ transport, options: options as never })(await contextFactory());
    closers.push(() => client.close());
    await client.emit({ type: 'Secure', payload: 42 });
    for (const deadline = Date.now() + wait; received.length === 0 && Date.now() < deadline; ) await new Promise(resolve => setTimeout(resolve, 50));
    const answer = await firstValueFrom(client.send({ type: 'Double', payload: 21 }));
    return { received, answer };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
};
