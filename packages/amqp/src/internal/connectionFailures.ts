import type * as amqp from 'amqplib';
import { CoreError } from '@tributary/core';
import { AmqpTopologyError } from '../errors';

const noop = (): void => undefined;

/** Bad credentials, vhost or topology do not heal by reconnecting: the error to report, or undefined (retry). */
export const permanentError = (error: unknown, host: string): Error | undefined => {
  if (error instanceof AmqpTopologyError) return error;
  const message = String((error as Error)?.message);
  if (/ACCESS[-_]REFUSED/i.test(message)) {
    return new CoreError(`The broker at ${host} refused the user name or password: fix the credentials in \`host\`.`, { context: 'amqp.connect', cause: error });
  }
  if (/NOT[-_]ALLOWED|Expected ConnectionOpenOk/i.test(message)) {
    return new CoreError(
      `The broker at ${host} refused to open the virtual host: it does not exist or the user has no permission on it. ` +
        'Create it (rabbitmqctl add_vhost) and grant permissions (rabbitmqctl set_permissions), or fix the path of `host`.',
      { context: 'amqp.connect', cause: error },
    );
  }
  return undefined;
};

/** Closes a connection, or drops its socket if the broker does not answer in time. */
export const closeQuietly = async (connection: amqp.ChannelModel): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(resolve => (timer = setTimeout(() => resolve('timeout'), 2000)));
  const result = await Promise.race([connection.close().catch(noop), timeout]);
  clearTimeout(timer);
  if (result === 'timeout') (connection.connection as any)?.stream?.destroy?.();
};
