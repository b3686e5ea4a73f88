import type { TransportName } from '../ScaffoldOptions';

/** What differs between the transports in a scaffolded project. */
export interface TransportTemplate {
  /** `Transport.X` */
  readonly enumMember: string;
  /** the transport package to install, if not @tributary/messaging itself */
  readonly package?: string;
  /** the options object literal (TypeScript source) of the service and its client */
  readonly options: (name: string) => string;
  /** the broker's line in the README */
  readonly broker?: string;
}

export const TRANSPORT_TEMPLATES: Record<TransportName, TransportTemplate> = {
  local: {
    enumMember: 'LOCAL',
    options: name => `{ channel: '${name}' }`,
  },
  amqp: {
    enumMember: 'AMQP',
    package: '@tributary/amqp',
    options: name => `{ host: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', queue: '${name}' }`,
    broker: 'RabbitMQ on 127.0.0.1:5672 (management UI: http://127.0.0.1:15672, guest / guest)',
  },
  redis: {
    enumMember: 'REDIS',
    package: '@tributary/redis',
    options: name => `{ host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379), channel: '${name}' }`,
    broker: 'Redis on 127.0.0.1:6379',
  },
  kafka: {
    enumMember: 'KAFKA',
    package: '@tributary/kafka',
    options: name => `{ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), topic: '${name}' }`,
    broker: 'Apache Kafka (KRaft, one node) on 127.0.0.1:9092',
  },
};
