import { Transport } from '@tributary/messaging';
import { AMQP_URL, REDIS_URL } from '../harness/environment';
import { SEND_TIMEOUT } from '../systems/effects';

/** The scale benchmark's targets: Tributary's transport and options for a cell's tag. */
export const scaleTransport = (target: string, tag: string): { transport: Transport; options: Record<string, unknown> } => {
  if (target === 'amqp') return { transport: Transport.AMQP, options: { host: AMQP_URL, queue: tag, timeout: SEND_TIMEOUT } };
  if (target === 'redis-streams') return { transport: Transport.REDIS, options: { host: REDIS_URL, channel: tag, mode: 'streams', timeout: SEND_TIMEOUT } };
  throw new Error(`unknown scale target "${target}" (amqp, redis-streams)`);
};
