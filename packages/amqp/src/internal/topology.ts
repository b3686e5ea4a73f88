import type * as amqp from 'amqplib';
import { retryDelay } from '@tributary/messaging/transport';
import { AmqpTopologyError } from '../errors';
import type { ResolvedAmqpOptions } from './resolveOptions';

/** The queue a failed message waits in for `delay` ms before going back to `queue`. */
export const retryQueueName = (queue: string, delay: number): string => `${queue}.retry.${delay}`;

/** The distinct backoff delays the retry options produce (one retry queue each). */
export const retryDelays = (options: ResolvedAmqpOptions): number[] => {
  const delays = new Set<number>();
  for (let attempt = 1; attempt < options.retry.maxAttempts; attempt++) delays.add(retryDelay(options.retry, attempt));
  return [...delays].filter(delay => delay > 0);
};

/** The main queue's declaration, the same one a Marble.js v4 client makes (no hidden arguments). */
const mainQueueOptions = (options: ResolvedAmqpOptions): amqp.Options.AssertQueue => {
  const { arguments: args, ...rest } = options.queueOptions;
  const typed = options.queueType === 'quorum' ? { 'x-queue-type': 'quorum' } : {};
  const single = options.singleActiveConsumer ? { 'x-single-active-consumer': true } : {};
  const merged = { ...args, ...typed, ...single };
  return Object.keys(merged).length ? { ...rest, arguments: merged } : rest;
};

const durable = (options: ResolvedAmqpOptions): boolean => options.queueOptions.durable !== false;

const declare = async <T>(subject: string, action: () => Promise<T>): Promise<T> => {
  try {
    return await action();
  } catch (error) {
    throw new AmqpTopologyError(subject, error);
  }
};

/** Declares a retry queue: messages expire after `delay` ms and dead-letter back to the main queue. */
export const declareRetryQueue = (channel: amqp.Channel, options: ResolvedAmqpOptions, delay: number): Promise<unknown> => {
  const name = retryQueueName(options.queue, delay);
  return declare(`retry queue "${name}"`, () =>
    channel.assertQueue(name, {
      durable: durable(options),
      arguments: { 'x-message-ttl': delay, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': options.queue },
    }),
  );
};

/** What every connection needs: the publish exchange and the main queue (so emits wait for a consumer). */
export const declareClientTopology = async (channel: amqp.Channel, options: ResolvedAmqpOptions): Promise<void> => {
  await declare(`exchange "${options.exchange}"`, () => channel.assertExchange(options.exchange, 'topic', { durable: true }));
  await declare(`queue "${options.queue}"`, () => channel.assertQueue(options.queue, mainQueueOptions(options)));
};

/** A consuming service adds its dead-letter queue, retry queues and `subscribe` bindings. */
export const declareServiceTopology = async (channel: amqp.Channel, options: ResolvedAmqpOptions): Promise<void> => {
  await declareClientTopology(channel, options);
  if (options.deadLetter !== false) {
    const name = options.deadLetter;
    const type = options.queueType === 'quorum' ? { arguments: { 'x-queue-type': 'quorum' } } : {};
    await declare(`dead-letter queue "${name}"`, () => channel.assertQueue(name, { durable: durable(options), ...type }));
  }
  for (const delay of retryDelays(options)) await declareRetryQueue(channel, options, delay);
  for (const pattern of options.subscribe) {
    await declare(`binding "${pattern}" of "${options.queue}"`, () => channel.bindQueue(options.queue, options.exchange, pattern));
  }
};
