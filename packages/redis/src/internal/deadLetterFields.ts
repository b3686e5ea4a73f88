import type { DeadLetterInfo } from '@tributary/messaging';
import type { TransportMessage } from '@tributary/messaging/transport';
import { toBytes } from './envelope';

/** Where a dead letter came from. */
export interface DeadLetterOrigin {
  /** The Redis channel or stream it was read from. */
  source: string;
  /** Its stream entry id (streams mode). */
  id?: string;
  /** The entry's fields when it had no `data` field (a foreign producer), kept for inspection. */
  original?: Record<string, string>;
}

/**
 * The fields of a dead-letter stream entry: the original body (`data`) and routing fields,
 * then why (`reason`), the error (`errorName`, `errorMessage`, `error` as JSON), how many
 * deliveries (`attempts`), where from (`source`, `sourceId`) and when (`deadLetteredAt`, ms).
 */
export const deadLetterFields = (message: TransportMessage, info: DeadLetterInfo, origin: DeadLetterOrigin): Array<string | Buffer> => {
  const fields: Array<string | Buffer> = ['data', toBytes(message.data ?? '')];
  const add = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') fields.push(name, typeof value === 'string' ? value : JSON.stringify(value));
  };
  add('type', message.type);
  add('id', message.messageId);
  add('correlationId', message.correlationId);
  add('replyTo', message.replyTo);
  add('headers', message.headers && Object.keys(message.headers).length ? message.headers : undefined);
  add('reason', info.reason);
  add('errorName', info.error?.name);
  add('errorMessage', info.error?.message);
  add('error', info.error);
  add('attempts', String(info.attempts));
  add('source', origin.source);
  add('sourceId', origin.id);
  add('original', origin.original);
  add('deadLetteredAt', String(Date.now()));
  return fields;
};

/** `XADD` arguments with optional approximate trimming. */
export const xaddArgs = (key: string, maxLen: number | false, fields: ReadonlyArray<string | Buffer>): Array<string | Buffer | number> =>
  maxLen === false ? [key, '*', ...fields] : [key, 'MAXLEN', '~', maxLen, '*', ...fields];
