import { connect } from '@nats-io/transport-node';
import type { NatsConnection as NatsClient } from '@nats-io/transport-node';
import { BrokerAuthError, BrokerUnavailableError, reconnectDelay, tlsFailure } from '@tributary/messaging/transport';
import type { ResolvedNatsOptions } from './resolveOptions';

/** The reconnection backoff the client uses between attempts (reset once reconnected). */
export interface Backoff {
  attempt: number;
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));
const isPermanent = (error: unknown): boolean => /authorization|authentication|permission/i.test(String((error as Error)?.message));

/**
 * Connects, retrying while the server is unreachable, up to `timeout`. Once connected the
 * client reconnects by itself, for ever, with `backoff` (capped exponential, jitter).
 */
export const openClient = async (options: ResolvedNatsOptions, name: string, backoff: Backoff): Promise<NatsClient> => {
  const deadline = Date.now() + options.timeout;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({
        servers: options.servers,
        name,
        ...options.auth,
        ...(options.tls !== undefined && { tls: options.tls as Record<string, unknown> | null }),
        maxReconnectAttempts: -1,
        // no Error (with its stack) made up front for every request, JetStream publishes
        // included: ~10 % of an emit's CPU; failures reach users wrapped in Tributary's errors
        noAsyncTraces: true,
        reconnectDelayHandler: () => reconnectDelay(++backoff.attempt, options.reconnect),
        timeout: Math.max(500, Math.min(5_000, deadline - Date.now())),
      });
    } catch (error) {
      // wrong credentials do not heal by retrying either (nats.js: a bare `AuthorizationError`)
      if (isPermanent(error)) throw new BrokerAuthError(options.host, error, 'the `user` and `pass` options (or `token`, or the user and password in `host`)');
      // a certificate does not heal by retrying: say at once what to fix
      const tls = tlsFailure(error, options.host);
      if (tls) throw tls;
      const delay = reconnectDelay(attempt, options.reconnect);
      if (Date.now() + delay >= deadline) throw new BrokerUnavailableError(options.host, options.timeout, error);
      await sleep(delay);
    }
  }
};
