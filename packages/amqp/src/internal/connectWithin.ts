import * as amqp from 'amqplib';
import { BrokerUnavailableError } from '@tributary/messaging';
import { reconnectDelay } from '@tributary/messaging/transport';
import { closeQuietly, permanentError } from './connectionFailures';
import type { ResolvedAmqpOptions } from './resolveOptions';

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** Connects within `timeout` (retrying while refused); credentials and vhost errors fail at once. */
export const connectWithin = async (options: ResolvedAmqpOptions): Promise<amqp.ChannelModel> => {
  const deadline = Date.now() + options.timeout;
  let lastError: unknown;
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    const opening = amqp.connect(options.url, { ...options.socketOptions, clientProperties: { connection_name: `tributary dead-letters ${options.queue}` } });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>(resolve => (timer = setTimeout(() => resolve('expired'), Math.max(0, deadline - Date.now()))));
    try {
      const result = await Promise.race([opening, expired]);
      if (result !== 'expired') return result;
      opening.then(late => closeQuietly(late), () => undefined);
      break;
    } catch (error) {
      lastError = error;
      const permanent = permanentError(error, options.host);
      if (permanent) throw permanent;
      await sleep(Math.min(reconnectDelay(attempt, options.reconnect), Math.max(0, deadline - Date.now())));
    } finally {
      clearTimeout(timer);
    }
  }
  throw new BrokerUnavailableError(options.host, options.timeout, lastError);
};
