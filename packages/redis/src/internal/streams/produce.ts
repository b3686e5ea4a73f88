import { BrokerUnavailableError } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import type { ModeContext } from '../TransportMode';
import { toBytes } from '../envelope';
import { publishTo } from '../clients';
import { xaddArgs } from '../deadLetterFields';
import { toEntryFields } from './entryFields';

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
 * `emit` / `send` in streams mode: `XADD` to the service's stream (`MAXLEN ~ maxLen`); to a
 * reply address, `PUBLISH` (replies are ephemeral). Within `timeout`.
 */
export const produce = async (ctx: ModeContext, channel: string, message: TransportMessage, routing?: { replyTo: string; correlationId: string }): Promise<void> => {
  const { keys, maxLen } = ctx.options;
  const replies = keys.replyChannelOf(channel);
  if (replies) await ctx.withinTimeout(() => publishTo(ctx.command, keys.sharded(replies), replies, toBytes(message.data)));
  else await ctx.withinTimeout(() => append(ctx, xaddArgs(keys.stream(channel), maxLen, toEntryFields(message, routing))));
};

/**
 * `publish` in streams mode: `XADD` to `topic:<type>` and note the type in `topic-index`, in
 * one `MULTI`; the first event of a type is announced, so that pattern subscribers start
 * reading its stream at once (they would also find it at their next maintenance). On a
 * cluster the two keys live in different slots: the type is noted first, then appended (a
 * crash between leaves a noted type with no entry, which is harmless).
 */
export const publishToTopic = async (ctx: ModeContext, topic: string, message: TransportMessage): Promise<void> => {
  const { keys, maxLen, cluster, replicas } = ctx.options;
  const args = xaddArgs(keys.topic(topic), maxLen, toEntryFields(message));
  let added: boolean;
  if (cluster || replicas > 0) {
    added = await ctx.withinTimeout(async () => {
      const fresh = (await ctx.command.sadd(keys.topicIndex, topic)) === 1;
      await append(ctx, args);
      return fresh;
    });
  } else {
    const results = await ctx.withinTimeout(() => ctx.command.multi().call('XADD', args).sadd(keys.topicIndex, topic).exec());
    added = results?.[1]?.[1] === 1;
  }
  if (added) await ctx.command.publish(keys.topicAnnounce, topic);
};
