import { LocalBroker, Transport } from '@tributary/messaging';

/** Where the services run. Only this file knows; the effects are the same everywhere. */
export type TransportName = 'local' | 'amqp' | 'redis' | 'nats' | 'mqtt';

export interface Wiring {
  transport: Transport;
  /** Options of a service's microservice, subscribed to `subscribe` for publish. */
  service(name: string, subscribe?: string[]): Record<string, unknown>;
  /** Options of a client calling the service `name`. */
  client(name: string): Record<string, unknown>;
}

export const createWiring = (name: TransportName, prefix = 'order-flow'): Wiring => {
  switch (name) {
    case 'local': {
      const broker = new LocalBroker();
      return {
        transport: Transport.LOCAL,
        service: (service, subscribe = []) => ({ channel: service, broker, subscribe }),
        client: service => ({ channel: service, broker, timeout: 5000 }),
      };
    }
    case 'amqp': {
      const host = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
      const exchange = `${prefix}.events`;
      return {
        transport: Transport.AMQP,
        service: (service, subscribe = []) => ({ host, queue: `${prefix}.${service}`, exchange, subscribe, queueOptions: { durable: false } }),
        client: service => ({ host, queue: `${prefix}.${service}`, exchange, timeout: 5000, queueOptions: { durable: false } }),
      };
    }
    case 'redis': {
      const host = process.env.REDIS_HOST ?? '127.0.0.1';
      const port = Number(process.env.REDIS_PORT ?? 6379);
      return {
        transport: Transport.REDIS,
        // every key and channel under `<prefix>:`, publish streams included
        service: (service, subscribe = []) => ({ host, port, keyPrefix: `${prefix}:`, channel: service, subscribe, mode: 'streams' }),
        client: service => ({ host, port, keyPrefix: `${prefix}:`, channel: service, timeout: 5000, mode: 'streams' }),
      };
    }
    case 'nats': {
      const host = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
      // every subject under `<prefix>.`, published events included; streams in memory, as the AMQP queues are not durable
      const common = { host, eventPrefix: `${prefix}.event`, eventStream: `${prefix}-events`, storage: 'memory' as const };
      return {
        transport: Transport.NATS,
        service: (service, subscribe = []) => ({ ...common, channel: `${prefix}.${service}`, subscribe }),
        client: service => ({ ...common, channel: `${prefix}.${service}`, timeout: 5000 }),
      };
    }
    case 'mqtt': {
      const host = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
      return {
        transport: Transport.MQTT,
        // a stable client id per service instance: the next run resumes its session
        service: (service, subscribe = []) => ({ host, channel: `${prefix}-${service}`, clientId: `${prefix}-${service}-1`, subscribe }),
        client: service => ({ host, channel: `${prefix}-${service}`, timeout: 5000 }),
      };
    }
  }
};
