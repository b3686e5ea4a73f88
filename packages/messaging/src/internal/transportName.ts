import { Transport } from '../transport/Transport';

/** A transport's name for reports: `local`, `amqp`, `redis`, ... (`Transport` is a numeric enum, as in Marble.js). */
export const transportName = (type: Transport | string | number): string =>
  typeof type === 'number' ? (Transport[type]?.toLowerCase() ?? String(type)) : String(type);
