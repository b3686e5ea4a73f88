import type * as amqp from 'amqplib';
import type { ResolvedAmqpOptions } from './resolveOptions';

/**
 * The durable queue where a service notes the bindings it made (`<queue>.bindings`): AMQP 0-9-1
 * cannot list a queue's bindings, so a service remembers its own, to remove those its
 * `subscribe` no longer names. It holds small persistent messages `{ exchange, patterns }`.
 */
export const bindingStateQueue = (queue: string): string => `${queue}.bindings`;

/** At most this many notes are read (normally one; concurrent starts can leave a few). */
const MAX_NOTES = 100;

interface Note {
  exchange: string;
  patterns: string[];
}

const parse = (content: Buffer): Note | undefined => {
  try {
    const note = JSON.parse(content.toString('utf8')) as Partial<Note>;
    return typeof note.exchange === 'string' && Array.isArray(note.patterns) ? { exchange: note.exchange, patterns: note.patterns.map(String) } : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Removes the bindings of `options.queue` that earlier runs noted and `subscribe` no longer
 * asks for, then notes the current ones. Notes are taken unacknowledged and acknowledged only
 * after the new note is written: a crash in between leaves them for the next start. Returns
 * the removed patterns.
 */
export const pruneBindings = async (channel: amqp.Channel, options: ResolvedAmqpOptions): Promise<string[]> => {
  const state = bindingStateQueue(options.queue);
  const typed = options.queueType === 'quorum' ? { arguments: { 'x-queue-type': 'quorum' } } : {};
  await channel.assertQueue(state, { durable: options.queueOptions.durable !== false, ...typed });
  const taken: amqp.GetMessage[] = [];
  for (let i = 0; i < MAX_NOTES; i++) {
    const message = await channel.get(state, { noAck: false });
    if (!message) break;
    taken.push(message);
  }
  const wanted = new Set(options.subscribe);
  const stale = new Map<string, { exchange: string; pattern: string }>();
  for (const note of taken.map(message => parse(message.content))) {
    for (const pattern of note?.patterns ?? []) {
      if (note!.exchange !== options.exchange || !wanted.has(pattern)) stale.set(`${note!.exchange}\u0000${pattern}`, { exchange: note!.exchange, pattern });
    }
  }
  for (const { exchange, pattern } of stale.values()) await channel.unbindQueue(options.queue, exchange, pattern);
  channel.sendToQueue(state, Buffer.from(JSON.stringify({ exchange: options.exchange, patterns: options.subscribe })), { persistent: true, contentType: 'application/json' });
  if (taken.length) channel.ack(taken[taken.length - 1], true);
  return [...stale.values()].map(({ pattern }) => pattern);
};
