import { randomUUID } from 'node:crypto';
import type { KafkaStrategyOptions } from '@tributary/messaging';
import { Clients, OutgoingRecord } from './internal/Clients';
import { asError, kafkaClient } from './internal/client';
import { resolveKafkaOptions } from './internal/resolveOptions';
import { HEADER, readHeaders } from './internal/wire';

/**
 * What {@link replay} re-delivers, and to which service.
 *
 * @example
 * ```ts
 * import { eventTopic } from '@tributary/kafka';
 * import type { KafkaReplayOptions } from '@tributary/kafka';
 * const lastDay: KafkaReplayOptions = {
 *   options: { brokers: ['127.0.0.1:9092'], topic: 'order-view' },
 *   topics: [eventTopic('OrderPlaced')],
 *   from: Date.now() - 86_400_000,
 * };
 * ```
 * @since 0.2.0
 * @category kafka
 */
export interface KafkaReplayOptions {
  /** The options of the service to re-deliver to (its `brokers`, `topic`, `groupId`, ...). */
  options: KafkaStrategyOptions;
  /** Start of the range: messages written at or after this time (ms since the epoch). */
  from: number;
  /** End of the range, exclusive (ms since the epoch). Default: when the replay starts. */
  to?: number;
  /** The topics to read the range from. Default: the service's own topic. */
  topics?: string[];
  /** How long the whole replay may take, ms (default: the options' `timeout`, 120 000). */
  timeout?: number;
}

/**
 * Re-delivers a time range of a Kafka log to a service: a dedicated consumer group
 * (`<groupId>.replay.<uuid>`, deleted afterwards) seeks every partition of `topics` to the
 * first message written at or after `from`, reads up to `to` (or up to what the log held when
 * the replay started), and emits each message again to the service's topic, with its key,
 * value and headers (plus `tributary.replayed-from: <topic>/<partition>/<offset>`), in
 * partition order. The service handles them like any emitted event: effects, retries and
 * dead letters apply. Resolves with how many messages were re-delivered.
 *
 * @example
 * ```ts
 * import { eventTopic, replay } from '@tributary/kafka';
 *
 * // rebuild the read model of the "order-view" service from every OrderPlaced ever published
 * const { replayed } = await replay({
 *   options: { brokers: ['127.0.0.1:9092'], topic: 'order-view' },
 *   topics: [eventTopic('OrderPlaced')],
 *   from: 0,
 * });
 * ```
 * @since 0.2.0
 * @category kafka
 */
export const replay = async (replayOptions: KafkaReplayOptions): Promise<{ replayed: number }> => {
  const options = resolveKafkaOptions(replayOptions.options);
  const topics = replayOptions.topics ?? [options.topic];
  const timeout = replayOptions.timeout ?? options.timeout;
  const clients = new Clients(options);
  const { Consumer, MessagesStreamModes, stringDeserializers } = kafkaClient();
  const groupId = `${options.groupId}.replay.${randomUUID()}`;
  const consumer = new Consumer({
    ...(clients.base('replay') as object),
    groupId,
    maxWaitTime: 200,
    deserializers: { key: stringDeserializers.key, headerKey: stringDeserializers.headerKey, headerValue: stringDeserializers.headerValue },
  } as any) as any;
  try {
    await clients.ensureTopic(options.topic);
    const starts: Map<string, bigint[]> = await consumer.listOffsets({ topics, timestamp: BigInt(Math.floor(replayOptions.from)) });
    const ends: Map<string, bigint[]> = await consumer.listOffsets({ topics, timestamp: -1n });
    const stops: Map<string, bigint[]> =
      replayOptions.to === undefined ? ends : await consumer.listOffsets({ topics, timestamp: BigInt(Math.floor(replayOptions.to)) });
    const ranges = new Map<string, { start: bigint; end: bigint }>();
    for (const [topic, offsets] of starts) {
      offsets.forEach((start, partition) => {
        const end = ends.get(topic)?.[partition] ?? 0n;
        const stop = stops.get(topic)?.[partition] ?? -1n;
        const until = stop >= 0n && stop < end ? stop : end;
        const from = start >= 0n ? start : end;
        if (from < until) ranges.set(`${topic}:${partition}`, { start: from, end: until });
      });
    }
    if (ranges.size === 0) return { replayed: 0 };
    return await copyRanges(consumer, clients, options.topic, topics, ranges, timeout, MessagesStreamModes.MANUAL);
  } finally {
    await consumer.close(true).catch(() => undefined);
    await clients
      .getAdmin()
      .deleteGroups({ groups: [groupId] })
      .catch(() => undefined);
    await clients.close();
  }
};

/** Reads each range once, in order, and produces its messages to `target`. */
const copyRanges = async (
  consumer: any,
  clients: Clients,
  target: string,
  topics: string[],
  ranges: Map<string, { start: bigint; end: bigint }>,
  timeout: number,
  manual: string,
): Promise<{ replayed: number }> => {
  const offsets = [...ranges].map(([key, { start }]) => {
    const at = key.lastIndexOf(':');
    return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset: start };
  });
  const stream = await consumer.consume({ topics, mode: manual, offsets, autocommit: false });
  const open = new Set(ranges.keys());
  let replayed = 0;
  let batch: OutgoingRecord[] = [];
  let failure: Error | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): void => {
    const records = batch;
    batch = [];
    if (records.length === 0) return;
    stream.pause();
    flushing = flushing
      .then(() => clients.produce(records))
      .then(
        () => {
          replayed += records.length;
          if (open.size > 0) stream.resume();
        },
        error => {
          failure = asError(error);
        },
      );
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replay to "${target}" did not finish within ${timeout} ms (raise \`timeout\`).`)), timeout);
      stream.on('error', (error: unknown) => reject(asError(error)));
      stream.on('data', (m: any) => {
        const key = `${m.topic}:${m.partition}`;
        const range = ranges.get(key);
        if (!range || !open.has(key) || m.offset < range.start) return;
        if (m.offset >= range.end) {
          open.delete(key);
        } else {
          const headers = readHeaders(m.headerEntries);
          headers[HEADER.replayedFrom] = `${m.topic}/${m.partition}/${m.offset}`;
          batch.push({ topic: target, key: m.key || undefined, value: m.value ?? Buffer.alloc(0), headers });
          if (m.offset + 1n >= range.end) open.delete(key);
        }
        if (batch.length >= 500 || open.size === 0) flush();
        if (open.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    flush();
    await flushing;
    if (failure) throw failure;
    return { replayed };
  } finally {
    await stream.close().catch(() => undefined);
  }
};
