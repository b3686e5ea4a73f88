import { CoreError } from '@tributary/core';
import { resolveDeliveryOptions } from '@tributary/messaging/transport';
import type { ResolvedDeliveryOptions } from '@tributary/messaging/transport';
import type { NatsStrategyOptions, NatsTlsOptions } from '@tributary/messaging';
import { DEFAULT_NATS_OPTIONS } from '../NatsStrategyOptions';
import { streamName } from './subjects';

/** Options with every default filled, as the internals use them. */
export interface ResolvedNatsOptions extends ResolvedDeliveryOptions {
  servers: string[];
  /** The servers with passwords masked, for messages and `config.host`. */
  host: string;
  channel: string;
  /** The service stream's name when given; otherwise found or derived at connect time. */
  stream?: string;
  durable?: string;
  deadLetter: false | { subject: string; stream?: string };
  eventStream: string;
  eventPrefix: string;
  ackWait: number;
  pullExpires: number;
  prefetch: number;
  maxAckPending: number;
  storage: 'file' | 'memory';
  duplicateWindow: number;
  reconnect: { initialDelay: number; maxDelay: number };
  auth: { user?: string; pass?: string; token?: string };
  /** `undefined`: TLS when the server requires it; `null`: never. */
  tls?: NatsTlsOptions | null;
  name?: string;
}

const invalid = (what: string): CoreError => new CoreError(`@tributary/nats: ${what}`, { context: 'nats.options' });

const mask = (server: string): string => {
  try {
    const url = new URL(server);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server;
  }
};

/** A subject without wildcards or empty tokens. */
const isPlainSubject = (subject: string): boolean => /^[^\s*>]+$/.test(subject) && !subject.split('.').includes('');

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw invalid(`\`${name}\` must be a positive number, got ${value}.`);
  return value;
};

/** Fills the defaults and checks what cannot work, with errors that say how to fix it. */
export const resolveNatsOptions = (options: NatsStrategyOptions): ResolvedNatsOptions => {
  const d = DEFAULT_NATS_OPTIONS;
  const hosts = options?.host === undefined ? [d.host] : typeof options.host === 'string' ? options.host.split(',').map(h => h.trim()) : [...options.host];
  for (const host of hosts) {
    if (typeof host !== 'string' || !/^(nats|tls):\/\/[^/]+$/.test(host)) {
      throw invalid(`\`host\` must be a server URL like 'nats://127.0.0.1:4222', got ${JSON.stringify(host)}.`);
    }
  }
  const channel = options?.channel;
  if (typeof channel !== 'string' || channel.length === 0) {
    throw invalid("`channel` is required: the name of the service (for a client: of the service it talks to).");
  }
  if (!isPlainSubject(channel) || channel.startsWith('_INBOX.') || channel.startsWith('$')) {
    throw invalid(`\`channel\` must be a NATS subject without spaces, wildcards (* >) or empty tokens, not starting with _INBOX. or $, got "${channel}".`);
  }
  const eventPrefix = options.eventPrefix ?? d.eventPrefix;
  if (!isPlainSubject(eventPrefix)) throw invalid(`\`eventPrefix\` must be a subject without wildcards, got "${eventPrefix}".`);
  for (const pattern of options.subscribe ?? []) {
    if (typeof pattern !== 'string' || !/^[^\s>]+$/.test(pattern) || pattern.split('.').includes('')) {
      throw invalid(`\`subscribe\` patterns are dot-separated words with * (one word) or # (the rest), got ${JSON.stringify(pattern)}.`);
    }
  }
  const deadLetter = options.deadLetter ?? true;
  const stream = options.stream === undefined ? undefined : streamName(options.stream);
  return {
    servers: hosts,
    host: hosts.map(mask).join(','),
    channel,
    stream,
    durable: options.durable === undefined ? undefined : streamName(options.durable),
    deadLetter: deadLetter === false ? false : { subject: `${channel}.dead-letter`, stream: typeof deadLetter === 'string' ? streamName(deadLetter) : undefined },
    eventStream: streamName(options.eventStream ?? d.eventStream),
    eventPrefix,
    ...resolveDeliveryOptions(options, '@tributary/nats', { timeout: d.timeout, expectAck: d.expectAck, subscribe: d.subscribe }),
    ackWait: positive('ackWait', options.ackWait ?? d.ackWait),
    pullExpires: Math.max(1_000, positive('pullExpires', options.pullExpires ?? d.pullExpires)),
    prefetch: positive('prefetch', options.prefetch ?? d.prefetch),
    maxAckPending: positive('maxAckPending', options.maxAckPending ?? d.maxAckPending),
    storage: options.storage ?? d.storage,
    duplicateWindow: positive('duplicateWindow', options.duplicateWindow ?? d.duplicateWindow),
    reconnect: { ...d.reconnect, ...options.reconnect },
    auth: { user: options.user, pass: options.pass, token: options.token },
    ...(options.tls !== undefined && { tls: options.tls === false ? null : options.tls === true ? {} : options.tls }),
    name: options.name,
  };
};
