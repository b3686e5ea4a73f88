import type { TransportMessage } from '@tributary/messaging/transport';
import type { EntryFields, StreamEntry } from './entryFields';

/** `raw` of a streams delivery: which entry of which stream, as which attempt, since when. */
export interface StreamRaw {
  readonly mode: 'streams';
  readonly stream: string;
  readonly id: string;
  readonly fields: EntryFields;
  readonly attempt: number;
  readonly deliveredAt: number;
}

/**
 * The message handed to the messaging layer for an entry: the envelope bytes as they are
 * (malformed ones too: the messaging layer reports and dead-letters them) and the routing
 * facts of the fields. `deliveries` above 1 (recovered or claimed entries) count as attempts,
 * so that an entry whose consumers keep crashing on it goes past `retry.maxAttempts` and the
 * messaging layer dead-letters it instead of running it again.
 */
export const toStreamMessage = (entry: StreamEntry & { fields: EntryFields }, deliveries: number): TransportMessage & { raw: StreamRaw } => {
  const { fields } = entry;
  const attempt = (fields.attempt ?? 1) + deliveries - 1;
  const raw: StreamRaw = { mode: 'streams', stream: entry.stream, id: entry.id, fields, attempt, deliveredAt: Date.now() };
  return {
    data: fields.data ?? Buffer.alloc(0),
    raw,
    messageId: fields.id,
    correlationId: fields.correlationId,
    replyTo: fields.replyTo,
    type: fields.type,
    attempt,
  };
};
