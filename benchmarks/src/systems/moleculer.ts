/**
 * Moleculer 0.15: a service broker with a `bench` service (an `OrderPlaced` event handler and
 * a `ping` action) and a second broker (another node) that calls it, over a transporter.
 * Each cell gets its own namespace, so that concurrent runs do not meet.
 */
import type * as Moleculer from 'moleculer';
import type { Context } from 'moleculer';
import { BenchEvent, BenchSystem, Counter } from '../harness/drive';
import { SEND_TIMEOUT } from './effects';

/** Two brokers (service, client) on `transporter`, in the namespace `tag`. */
export const moleculerService = async (transporter: string | Record<string, unknown>, tag: string, cleanup: () => Promise<void> = async () => undefined): Promise<BenchSystem> => {
  // loaded on first use, so that the other systems' processes (and profiles) do not load it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ServiceBroker } = require('moleculer') as typeof Moleculer;
  const counter = new Counter();
  const common = { namespace: tag.replace(/[^a-zA-Z0-9-]/g, '-'), transporter, logger: false, requestTimeout: SEND_TIMEOUT, heartbeatInterval: 5 } as const;
  const service = new ServiceBroker({ ...common, nodeID: `${tag}-service` } as never);
  service.createService({
    name: 'bench',
    actions: { ping: (ctx: Context<BenchEvent>) => ({ type: 'Pong', payload: ctx.params.payload }) },
    events: { OrderPlaced: () => counter.hit() },
  } as never);
  const client = new ServiceBroker({ ...common, nodeID: `${tag}-client` } as never);
  await service.start();
  await client.start();
  await client.waitForServices('bench', 15_000);
  return {
    emit: { emit: event => client.emit('OrderPlaced', event) as Promise<unknown>, processed: counter },
    send: { send: event => client.call<BenchEvent, BenchEvent>('bench.ping', event) },
    close: async () => {
      await client.stop();
      await service.stop();
      await cleanup();
    },
  };
};
