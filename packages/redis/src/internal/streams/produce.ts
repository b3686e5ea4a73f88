import type { TransportMessage } from '@tributary/messaging/transport';
import type { ModeContext } from '../TransportMode';
import { toBytes } from '../envelope';
import { xaddArgs } from '../deadLetterFields';
import { toEntryFields } from './entryFields';

/**
 * `emit` / `send` in streams mode: `XADD` to the service's stream (`MAXLEN ~ maxLen`); to a
 * reply address, `PUBLISH` (replies are ephemeral). Within `timeout`.
 */
export const produce = async (ctx: ModeContext, channel: string, message: TransportMessage, routing?: { replyTo: string; correlationId: string }): Promise<void> => {
  const { keys, maxLen } = ctx.options;
  const replies = keys.replyChannelOf(channel);
  if (replies) await ctx.withinTimeout(() => ctx.command.publish(replies, toBytes(message.data)));
  else await ctx.withinTimeout(() => ctx.command.call('XADD', xaddArgs(keys.prefixed(channel), maxLen, toEntryFields(message, routing))));
};

/**
 * `publish` in streams mode: `XADD` to `topic:<type>` and note the type in `topic-index`, in
 * one `MULTI`; the first event of a type is announced, so that pattern subscribers start
 * reading its stream at once (they would also find it at their next maintenance).
 */
export const publishToTopic = async (ctx: ModeContext, topic: string, message: TransportMessage): Promise<void> => {
  const { keys, maxLen } = ctx.options;
  const results = await ctx.withinTimeout(() =>
    ctx.command.multi().call('XADD', xaddArgs(keys.topic(topic), maxLen, toEntryFields(message))).sadd(keys.topicIndex, topic).exec(),
  );
  if (results?.[1]?.[1] === 1) await ctx.command.publish(keys.topicAnnounce, topic);
};
