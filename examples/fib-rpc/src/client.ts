import { contextFactory } from '@tributary/core';
import { MessagingClient } from '@tributary/messaging';
import { firstValueFrom } from 'rxjs';
import { Fib, FibResult } from './events';
import type { Wiring } from './wiring';

type FibReply = ReturnType<typeof FibResult.create>;

/** A typed client of the Fibonacci service. */
export interface FibClient {
  /** F(n) as a decimal string; rejects with the service's `EventError` (validation, too large) or `TimeoutError`. */
  fib(n: number): Promise<string>;
  close(): Promise<void>;
}

/** Wraps a `MessagingClient` (any transport, or a test bed's `client`). */
export const fibClientOf = (client: Pick<MessagingClient, 'send' | 'close'>): FibClient => ({
  fib: async n => (await firstValueFrom(client.send<FibReply>(Fib.create({ n })))).payload.value,
  close: () => client.close(),
});

/** Connects a client to the service on the wiring's transport. */
export const createFibClient = async (wiring: Wiring): Promise<FibClient> =>
  fibClientOf(await MessagingClient({ transport: wiring.transport, options: wiring.client })(await contextFactory()));
