import { BrokerUnavailableError } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { ModeContext } from '../TransportMode';
import { toBytes } from '../envelope';
import { publishTo } from '../clients';
import { xaddArgs } from '../deadLetterFields';
import { toEntryFields } from './entryFields';
import { idempotentAdd } from './idempotentAdd';

/**
 * Runs a write within `timeout`. A failure after the command went out on the connection
 * (the connection dropped with it unanswered, e.g. ioredis `AbortError` for a half-answered
 * auto-pipeline, or the wait ran out) may have been stored: it becomes
 * `BrokerUnavailableError` with `maybeDelivered: true`. An error answer from Redis, or a
 * timeout before the connection was ready, means not stored: it is passed on as it is.
 */
const write = async <T>(ctx: ModeContext, command: () => Promise<T>): Promise<T> => {
  let sent = false;
  try {
    return await ctx.withinTimeout(() => {
      sent = true;
      return command();
    });
  } catch (error) {
    if (!sent || (error as Error)?.name === 'ReplyError') throw error;
    if (error instanceof BrokerUnavailableError && error.maybeDelivered) throw error;
    const cause = error instanceof BrokerUnavailableError ? error.cause : error;
    throw new BrokerUnavailableError(ctx.options.address, ctx.options.timeout, cause, { maybeDelivered: true });
  }
};

/**
 * `XADD`, and with `replicas` set, `WAIT replicas replicaTimeout` in the same pipeline (so, on
 * a cluster, on the node that took the entry): resolves once that many replicas hold it.
 */
const append = async (ctx: ModeContext, args: Array<string | Buffer | number>): Promise<void> => {
  const { replicas, replicaTimeout, address } = ctx.options;
  if (replicas === 0) return void (await ctx.command.call('XADD', args));
  const results = (await ctx.command.pipeline().call('XADD', args).call('WAIT', replicas, replicaTimeout).exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  const acknowledged = Number(results[1]?.[1]);
  if (acknowledged < replicas) {
    throw new BrokerUnavailableError(
      address,
      replicaTimeout,
      new Error(`${acknowledged} of ${replicas} replicas confirmed the entry within ${replicaTimeout} ms (it may still be delivered); check the replicas or lower "replicas".`),
    );
  }
};

/**
 * `emit` / `send` in streams mode: `XADD` to the service's stream (`MAXLEN ~ maxLen`), through
 * the idempotent producer when the message has an id (see `idempotentAdd`; with `replicas`
 * set, a plain `XADD` followed by `WAIT` in one pipeline instead); to a reply address,
 * `PUBLISH` (replies are ephemeral). Within `timeout`.
 */
export const produce = async (ctx: ModeContext, channel: string, message: TransportMessage, routing?: { replyTo: string; correlationId: string }): Promise<void> => {
  const { keys, maxLen, idempotenceWindow, replicas } = ctx.options;
  const replies = keys.replyChannelOf(channel);
  if (replies) {
    await ctx.withinTimeout(() => publishTo(ctx.command, keys.sharded(replies), replies, toBytes(message.data)));
    return;
  }
  const stream = keys.stream(channel);
  const fields = toEntryFields(message, routing);
  const id = message.messageId;
  if (id && idempotenceWindow > 0 && replicas === 0) {
    await write(ctx, () => idempotentAdd(ctx.command, { stream, idKey: keys.producedId(stream, id), window: idempotenceWindow, maxLen, fields }));
  } else await write(ctx, () => append(ctx, xaddArgs(stream, maxLen, fields)));
};

/**
 * `publish` in streams mode: `XADD` to `topic:<type>` and note the type in `topic-index`, in
 * one step (a script with the idempotent producer, else `MULTI`); the first event of a type
 * is announced, so that pattern subscribers start reading its stream at once (they would also
 * find it at their next maintenance). On a cluster (or with `replicas`) the two keys live in
 * different slots: the type is noted first, then appended (a crash between leaves a noted
 * type with no entry, which is harmless).
 */
export const publishToTopic = async (ctx: ModeContext, topic: string, message: TransportMessage): Promise<void> => {
  const { keys, maxLen, idempotenceWindow, cluster, replicas } = ctx.options;
  const stream = keys.topic(topic);
  const fields = toEntryFields(message);
  const id = message.messageId;
  let isNew: boolean;
  if (cluster || replicas > 0) {
    isNew = await write(ctx, async () => {
      const fresh = (await ctx.command.sadd(keys.topicIndex, topic)) === 1;
      await append(ctx, xaddArgs(stream, maxLen, fields));
      return fresh;
    });
  } else if (id && idempotenceWindow > 0) {
    const idKey = keys.producedId(stream, id);
    const result = await write(ctx, () => idempotentAdd(ctx.command, { stream, idKey, window: idempotenceWindow, maxLen, fields, topic: { index: keys.topicIndex, name: topic } }));
    isNew = result === 'new-topic';
  } else {
    const results = await write(ctx, () => ctx.command.multi().call('XADD', xaddArgs(stream, maxLen, fields)).sadd(keys.topicIndex, topic).exec());
    isNew = results?.[1]?.[1] === 1;
  }
  if (isNew) await ctx.command.publish(keys.topicAnnounce, topic);
};
