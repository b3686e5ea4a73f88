import type * as amqp from 'amqplib';
import { CoreError } from '@tributary/core';
import { BrokerAuthError, tlsFailure } from '@tributary/messaging/transport';
import { AmqpTopologyError } from '../errors';

const noop = (): void => undefined;

/**
 * Bad credentials, vhost, topology or a failed TLS handshake (`BrokerTlsError`: an untrusted
 * certificate...) do not heal by reconnecting: the error to report, or undefined (retry).
 * `host` has its password masked.
 */
export const permanentError = (error: unknown, host: string): Error | undefined => {
  if (error instanceof AmqpTopologyError) return error;
  const tls = tlsFailure(error, host, "socketOptions: { ca: [fs.readFileSync('ca.pem')] }");
  if (tls) return tls;
  const message = String((error as Error)?.message);
  if (/ACCESS[-_]REFUSED/i.test(message)) {
    return new BrokerAuthError(host, error, 'the user name and password in `host` (`amqp://user:password@host`)');
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
