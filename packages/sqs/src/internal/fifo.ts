import { createHash, randomUUID } from 'node:crypto';
import type { TransportMessage } from '@tributary/messaging/transport';

/** The MessageGroupId of messages without `metadata.key`. */
export const DEFAULT_GROUP = 'tributary-default';

/** Both ids are at most 128 printable ASCII characters: anything else is replaced by its SHA-256. */
const cap = (id: string): string => (id.length <= 128 && /^[\x21-\x7e]+$/.test(id) ? id : createHash('sha256').update(id).digest('hex'));

/**
 * The FIFO ids of a message: `metadata.key` is the MessageGroupId (one at a time, in order,
 * per key); messages without a key share one group, `DEFAULT_GROUP`: a FIFO queue keeps them in
 * the order sent, one at a time (give them keys to run them side by side).
 * `metadata.id` is the MessageDeduplicationId: SQS drops a copy sent again within 5 minutes.
 */
export const fifoIds = (message: TransportMessage, fifo: boolean, dedupeSuffix = ''): { MessageGroupId?: string; MessageDeduplicationId?: string } => {
  if (!fifo) return {};
  const id = message.messageId ?? randomUUID();
  return { MessageGroupId: cap(message.key ?? DEFAULT_GROUP), MessageDeduplicationId: cap(`${id}${dedupeSuffix}`) };
};
