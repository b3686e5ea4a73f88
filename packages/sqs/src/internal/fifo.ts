import { createHash, randomUUID } from 'node:crypto';
import type { TransportMessage } from '@tributary/messaging/transport';

/** Both ids are at most 128 printable ASCII characters: anything else is replaced by its SHA-256. */
const cap = (id: string): string => (id.length <= 128 && /^[\x21-\x7e]+$/.test(id) ? id : createHash('sha256').update(id).digest('hex'));

/**
 * The FIFO ids of a message: `metadata.key` is the MessageGroupId (one at a time, in order,
 * per key); without a key each message is its own group (no order, full parallelism).
 * `metadata.id` is the MessageDeduplicationId: SQS drops a copy sent again within 5 minutes.
 */
export const fifoIds = (message: TransportMessage, fifo: boolean, dedupeSuffix = ''): { MessageGroupId?: string; MessageDeduplicationId?: string } => {
  if (!fifo) return {};
  const id = message.messageId ?? randomUUID();
  return { MessageGroupId: cap(message.key ?? id), MessageDeduplicationId: cap(`${id}${dedupeSuffix}`) };
};
