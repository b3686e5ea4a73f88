import { randomUUID } from 'node:crypto';
import type { BenchEvent } from '../harness/drive';

/** What a Tributary message carries beside the event, for the raw variants that carry it too. */
export interface TributaryEnvelope {
  readonly id: string;
  readonly timestamp: number;
  readonly correlationId: string;
  /** The JSON envelope: type, payload and metadata (id, time, correlation id, cause, reply address). */
  readonly body: string;
}

/**
 * The envelope Tributary sends for `event`: a new UUID and the time, the correlation id (the
 * id when none), the cause and the reply address when given, in `metadata`. Each raw variant
 * adds its broker's own properties or headers around it.
 */
export const tributaryEnvelope = (event: BenchEvent, extra: { correlationId?: string; causationId?: string; replyTo?: string } = {}): TributaryEnvelope => {
  const id = randomUUID();
  const timestamp = Date.now();
  const correlationId = extra.correlationId ?? id;
  const metadata: Record<string, unknown> = { id, timestamp, correlationId };
  if (extra.causationId !== undefined) metadata.causationId = extra.causationId;
  if (extra.replyTo !== undefined) metadata.replyTo = extra.replyTo;
  return { id, timestamp, correlationId, body: JSON.stringify({ type: event.type, payload: event.payload, metadata }) };
};
