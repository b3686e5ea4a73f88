import { LocalBroker, Transport } from '@tributary/messaging';

/** Where the service runs. Only this file knows; the effect is the same everywhere. */
export type TransportName = 'local' | 'amqp' | 'redis';

export interface Wiring {
  name: TransportName;
  transport: Transport;
  /** Options of the microservice. */
  server: Record<string, unknown>;
  /** Options of a client calling it. */
  client: Record<string, unknown>;
}

/** Reads `--transport local|amqp|redis` (default `local`). */
export const transportFromArgs = (argv: readonly string[]): TransportName => {
  const i = argv.indexOf('--transport');
  const name = i >= 0 ? argv[i + 1] : 'local';
  if (name !== 'local' && name !== 'amqp' && name !== 'redis') {
    throw new Error(`Unknown transport "${name}". Use --transport local | amqp | redis.`);
  }
  return name;
};

export const createWiring = (name: TransportName, queue = 'fib_rpc'): Wiring => {
  switch (name) {
    case 'local': {
      // the in-process broker: server and client must live in the same process
      const broker = new LocalBroker();
      return { name, transport: Transport.LOCAL, server: { channel: queue, broker }, client: { channel: queue, broker, timeout: 5000 } };
    }
    case 'amqp': {
      const options = { host: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', queue, queueOptions: { durable: false } };
      return { name, transport: Transport.AMQP, server: options, client: { ...options, timeout: 5000 } };
    }
    case 'redis': {
      const options = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379), channel: queue };
      return { name, transport: Transport.REDIS, server: options, client: { ...options, timeout: 5000 } };
    }
  }
};
