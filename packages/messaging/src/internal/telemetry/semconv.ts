/** OpenTelemetry messaging semantic convention keys used here (kept local: no semconv package). */
export const ATTR = {
  SYSTEM: 'messaging.system',
  DESTINATION: 'messaging.destination.name',
  OPERATION_TYPE: 'messaging.operation.type',
  OPERATION_NAME: 'messaging.operation.name',
  MESSAGE_ID: 'messaging.message.id',
  CONVERSATION_ID: 'messaging.message.conversation_id',
  CONSUMER_GROUP: 'messaging.consumer.group.name',
  ERROR_TYPE: 'error.type',
  EVENT_TYPE: 'tributary.event.type',
  ATTEMPT: 'tributary.delivery.attempt',
  DEAD_LETTER_REASON: 'tributary.dead_letter.reason',
  RETRY_DELAY: 'tributary.retry.delay_ms',
  OUTCOME: 'tributary.settlement',
} as const;

/** `error.type` of a failure: its error name, or `_OTHER`. */
export const errorType = (error: unknown): string => {
  const name = error && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
};

/** A message of a failure for a span status. */
export const errorMessage = (error: unknown): string => {
  const message = error && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
};
