import { CoreError } from '@tributary/core';
import { resolveDeliveryOptions } from '@tributary/messaging/transport';
import type { ResolvedDeliveryOptions } from '@tributary/messaging/transport';
import type { SqsCredentials, SqsStrategyOptions } from '@tributary/messaging';
import { DEFAULT_SQS_OPTIONS } from '../SqsStrategyOptions';

/** Options with every default filled, as the internals use them. */
export interface ResolvedSqsOptions extends ResolvedDeliveryOptions {
  /** The SQS endpoint, when not AWS's. */
  endpoint?: string;
  /** Where the messages go, without credentials: the endpoint, or `sqs://<region>`. */
  host: string;
  channel: string;
  /** The service queue's name (`<channel>`, or `<channel>.fifo`). */
  queue: string;
  region: string;
  credentials?: SqsCredentials;
  fifo: boolean;
  visibilityTimeout: number;
  waitTimeSeconds: number;
  prefetch: number;
  /** The dead-letter queue's name, or `false`. */
  deadLetter: string | false;
  sns: { endpoint?: string; topic: string } | false;
  reconnect: { initialDelay: number; maxDelay: number };
  createQueues: boolean;
}

const NAME = /^[A-Za-z0-9_-]+$/;

const invalid = (what: string): CoreError => new CoreError(`@tributary/sqs: ${what}`, { context: 'sqs.options' });

const withFifo = (name: string, fifo: boolean): string => (fifo && !name.endsWith('.fifo') ? `${name}.fifo` : name);

const seconds = (value: unknown, what: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`\`${what}\` must be a whole number of seconds from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return value;
};

const endpointOf = (host: string | undefined, what: string): string | undefined => {
  if (host === undefined) return undefined;
  if (typeof host !== 'string' || !/^https?:\/\/[^/]+/.test(host)) {
    throw invalid(`\`${what}\` must be an endpoint URL like 'http://127.0.0.1:9324', or left out on AWS; got ${JSON.stringify(host)}.`);
  }
  const url = new URL(host);
  if (url.username || url.password) throw invalid(`\`${what}\` must not carry credentials: pass them in \`credentials\`.`);
  return url.toString().replace(/\/$/, '');
};

/** Fills the defaults and checks what cannot work, with errors that say how to fix it. */
export const resolveSqsOptions = (options: SqsStrategyOptions): ResolvedSqsOptions => {
  const d = DEFAULT_SQS_OPTIONS;
  const fifo = options?.fifo ?? d.fifo;
  const channel = options?.channel;
  const base = typeof channel === 'string' ? channel.replace(/\.fifo$/, '') : '';
  if (!NAME.test(base) || withFifo(base, fifo).length > 80) {
    throw invalid(
      `\`channel\` must be the service's queue name: letters, digits, '-' and '_', at most ${fifo ? 75 : 80} characters${fifo ? " (the '.fifo' suffix is added)" : ''}; got ${JSON.stringify(channel)}.`,
    );
  }
  const endpoint = endpointOf(options.host, 'host');
  const region = options.region ?? process.env.AWS_REGION ?? d.region;
  const delivery = resolveDeliveryOptions(options, '@tributary/sqs', { timeout: d.timeout, expectAck: d.expectAck, subscribe: d.subscribe });
  const deadLetter = options.deadLetter === false ? false : withFifo(options.deadLetter ?? `${base}-dead-letter`, fifo);
  if (deadLetter !== false && !NAME.test(deadLetter.replace(/\.fifo$/, ''))) {
    throw invalid(`\`deadLetter\` must be a queue name (letters, digits, '-', '_') or false; got ${JSON.stringify(options.deadLetter)}.`);
  }
  const sns = options.sns;
  const snsTopic = typeof sns === 'object' ? sns.topic ?? d.snsTopic : d.snsTopic;
  const prefetch = options.prefetch ?? delivery.concurrency;
  if (!Number.isInteger(prefetch) || prefetch < 1) throw invalid(`\`prefetch\` must be a whole number ≥ 1, got ${JSON.stringify(prefetch)}.`);
  return {
    ...delivery,
    endpoint,
    host: endpoint ?? `sqs://${region}`,
    channel: base,
    queue: withFifo(base, fifo),
    region,
    credentials: options.credentials,
    fifo,
    visibilityTimeout: seconds(options.visibilityTimeout ?? d.visibilityTimeout, 'visibilityTimeout', 1, 43_200),
    waitTimeSeconds: seconds(options.waitTimeSeconds ?? d.waitTimeSeconds, 'waitTimeSeconds', 0, 20),
    prefetch,
    deadLetter,
    sns: sns ? { endpoint: typeof sns === 'object' ? endpointOf(sns.host, 'sns.host') : undefined, topic: withFifo(snsTopic, fifo) } : false,
    reconnect: { ...d.reconnect, ...options.reconnect },
    createQueues: options.createQueues ?? d.createQueues,
  };
};
