import { CoreError } from '@tributary/core';
import { resolveDeliveryOptions } from '@tributary/messaging/transport';
import type { ResolvedDeliveryOptions } from '@tributary/messaging/transport';
import { DEFAULT_AMQP10_OPTIONS } from '../Amqp10StrategyOptions';
import type { Amqp10StrategyOptions } from '../Amqp10StrategyOptions';

/** Options with every default filled, as the internals use them. */
export interface ResolvedAmqp10Options extends ResolvedDeliveryOptions {
  /** The URL with the password masked, for messages and `config.host`. */
  host: string;
  /** What rhea's `connect` gets. */
  connect: Record<string, unknown>;
  channel: string;
  credit: number;
  deadLetter: string | false;
  topicPrefix: string;
  reconnect: { initialDelay: number; maxDelay: number };
}

const invalid = (what: string): CoreError => new CoreError(`@tributary/amqp10: ${what}`, { context: 'amqp10.options' });

const mask = (url: URL): string => {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  copy.search = '';
  return copy.toString().replace(/\/$/, '');
};

/** Fills the defaults and checks what cannot work, with errors that say how to fix it. */
export const resolveAmqp10Options = (options: Amqp10StrategyOptions): ResolvedAmqp10Options => {
  const d = DEFAULT_AMQP10_OPTIONS;
  const host = options?.host ?? d.host;
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    url = new URL('invalid://');
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
    throw invalid(`\`host\` must be a broker URL like 'amqp://127.0.0.1:5673' (amqps:// for TLS), got ${JSON.stringify(options?.host)}.`);
  }
  if (typeof options.channel !== 'string' || options.channel.length === 0 || /::|[*#]/.test(options.channel)) {
    throw invalid(
      "`channel` is required: the name of the service's queue (for a client: the queue of the service it talks to), without `::`, `*` or `#` (Artemis reads those as a queue's full name and as wildcards).",
    );
  }
  const credit = options.credit ?? d.credit;
  if (!Number.isInteger(credit) || credit < 1) throw invalid(`\`credit\` must be a whole number ≥ 1 (messages prefetched per queue), got ${JSON.stringify(credit)}.`);
  const tls = url.protocol === 'amqps:';
  const idleTimeout = options.idleTimeout ?? d.idleTimeout;
  return {
    host: mask(url),
    connect: {
      host: url.hostname,
      port: Number(url.port || (tls ? 5671 : 5672)),
      transport: tls ? 'tls' : 'tcp',
      ...(url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : {}),
      ...(idleTimeout > 0 ? { idle_time_out: idleTimeout } : {}),
      // rhea sets TCP_NODELAY only when a receiver is attached through the connection itself;
      // ours attach through sessions: without it, every request/reply waits ~40 ms (Nagle + delayed ACK)
      tcp_no_delay: true,
      ...options.connectionOptions,
      reconnect: false,
    },
    channel: options.channel,
    credit,
    deadLetter: options.deadLetter ?? `${options.channel}.dead-letter`,
    topicPrefix: options.topicPrefix ?? d.topicPrefix,
    reconnect: { ...d.reconnect, ...options.reconnect },
    ...resolveDeliveryOptions(options, '@tributary/amqp10', { timeout: d.timeout }),
  };
};
