import { CoreError } from '@tributary/core';
import { resolveDeliveryOptions } from '@tributary/messaging/transport';
import type { ResolvedDeliveryOptions } from '@tributary/messaging/transport';
import { DEFAULT_AMQP_OPTIONS } from '../AmqpStrategyOptions';
import type { AmqpQueueOptions, AmqpStrategyOptions } from '../AmqpStrategyOptions';

/** Options with every default filled, as the internals use them. */
export interface ResolvedAmqpOptions extends ResolvedDeliveryOptions {
  /** Connection URL, with the heartbeat set. */
  url: string;
  /** The URL with the password masked, for messages and `config.host`. */
  host: string;
  queue: string;
  queueOptions: AmqpQueueOptions;
  queueType: 'classic' | 'quorum';
  prefetchCount: number;
  singleActiveConsumer: boolean;
  exchange: string;
  deadLetter: string | false;
  confirm: boolean;
  reconnect: { initialDelay: number; maxDelay: number };
  socketOptions: Record<string, unknown>;
}

const invalid = (what: string): CoreError =>
  new CoreError(`@tributary/amqp: ${what}`, { context: 'amqp.options' });

const withHeartbeat = (host: string, heartbeat: number): string => {
  const url = new URL(host);
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(heartbeat));
  return url.toString();
};

const mask = (host: string): string => {
  const url = new URL(host);
  if (url.password) url.password = '***';
  url.search = '';
  return url.toString().replace(/\/$/, '');
};

/** Fills the defaults and checks what cannot work, with errors that say how to fix it. */
export const resolveAmqpOptions = (options: AmqpStrategyOptions): ResolvedAmqpOptions => {
  if (!options || typeof options.host !== 'string' || !/^amqps?:\/\//.test(options.host)) {
    throw invalid(`\`host\` must be a broker URL like 'amqp://guest:guest@127.0.0.1:5672', got ${JSON.stringify(options?.host)}.`);
  }
  if (typeof options.queue !== 'string' || options.queue.length === 0) {
    throw invalid("`queue` is required: the name of the service's queue (for a client: the queue of the service it talks to).");
  }
  const d = DEFAULT_AMQP_OPTIONS;
  const queueType = options.queueType ?? d.queueType;
  const queueOptions = { ...d.queueOptions, ...options.queueOptions };
  if (queueType === 'quorum' && (queueOptions.durable === false || queueOptions.exclusive || queueOptions.autoDelete)) {
    throw invalid('a quorum queue must be durable, not exclusive and not autoDelete: change `queueOptions` or use `queueType: "classic"`.');
  }
  return {
    url: withHeartbeat(options.host, options.heartbeat ?? d.heartbeat),
    host: mask(options.host),
    queue: options.queue,
    queueOptions,
    queueType,
    prefetchCount: options.prefetchCount ?? d.prefetchCount,
    singleActiveConsumer: options.singleActiveConsumer ?? false,
    ...resolveDeliveryOptions(options, '@tributary/amqp', { timeout: d.timeout, expectAck: d.expectAck, subscribe: d.subscribe }),
    exchange: options.exchange ?? d.exchange,
    deadLetter: options.deadLetter ?? `${options.queue}.dead-letter`,
    confirm: options.confirm ?? d.confirm,
    reconnect: { ...d.reconnect, ...options.reconnect },
    socketOptions: { ...d.socketOptions, ...options.socketOptions },
  };
};
