import { createMicroservice, MessagingClient, Transport } from '@tributary/messaging';
import * as M from '@marblejs/core';
import * as MM from '@marblejs/messaging';
import { firstValueFrom } from 'rxjs';
import { BenchEvent, BenchSystem, Counter } from '../harness/drive';
import { marbleListener, marbleQuietLogger, tributaryListener } from './effects';

/** Starts a system of Tributary's on one broker transport: `tributaryService`, or `tributaryTransportLayer` (its breakdown). */
export type TributaryStarter = (
  transport: Transport,
  options: Record<string, unknown>,
  cleanup: () => Promise<void>,
  settled?: () => Promise<void>,
) => Promise<BenchSystem>;

/** A Tributary service and a client of it on one broker transport; `cleanup` removes what the run made. */
export const tributaryService: TributaryStarter = async (transport, options, cleanup, settled) => {
  const counter = new Counter();
  const microservice = await createMicroservice({ transport, options, listener: tributaryListener(counter) });
  const connection = await microservice();
  const client = await MessagingClient({ transport, options })(microservice.context);
  return {
    emit: { emit: event => client.emit(event), processed: counter, settled },
    send: { send: event => firstValueFrom(client.send(event)) as Promise<BenchEvent> },
    close: async () => {
      await client.close().catch(() => undefined);
      await connection.close({ drainTimeout: 2000 }).catch(() => undefined);
      await cleanup();
    },
  };
};

/** The same with Marble.js 4.1.0 (running the same effects), with its logger quiet. */
export const marbleService = async (
  strategy: MM.TransportStrategy,
  cleanup: () => Promise<void> = async () => undefined,
): Promise<BenchSystem> => {
  const counter = new Counter();
  const microservice = await MM.createMicroservice({ ...strategy, listener: marbleListener(counter), dependencies: [marbleQuietLogger] });
  const connection = await microservice();
  const context = await M.contextFactory(marbleQuietLogger);
  const client = await MM.MessagingClient(strategy)(context);
  return {
    emit: { emit: event => client.emit(event), processed: counter },
    send: { send: event => firstValueFrom(client.send(event)) as Promise<BenchEvent> },
    close: async () => {
      await client.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await cleanup();
    },
  };
};
