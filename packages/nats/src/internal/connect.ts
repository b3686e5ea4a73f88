import { connect } from '@nats-io/transport-node';
import type { NatsConnection as NatsClient } from '@nats-io/transport-node';
import { BrokerAuthError, BrokerTlsError, BrokerUnavailableError, reconnectDelay, tlsFailure } from '@tributary/messaging/transport';
import { probeClientCertificate } from './probeTls';
import type { ResolvedNatsOptions } from './resolveOptions';

/** The reconnection backoff the client uses between attempts (reset once reconnected). */
export interface Backoff {
  attempt: number;
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));
/** Whether the TLS options give a client certificate (mutual TLS); `undefined` without TLS options. */
const hasClientCertificate = (options: ResolvedNatsOptions): boolean | undefined => {
  const tls = options.tls as (ResolvedNatsOptions['tls'] & { certFile?: unknown; pfx?: unknown }) | null | undefined;
  return tls ? tls.cert !== undefined || tls.certFile !== undefined || tls.pfx !== undefined : undefined;
};
const isPermanent = (error: unknown): boolean => /authorization|authentication|permission/i.test(String((error as Error)?.message));

/** How long a connect may take before `openClient` checks whether the server refuses the client's certificate. */
const PROBE_AFTER = 1_000;
/** How long that check may take. */
const PROBE_TIMEOUT = 3_000;

/** A check, started after {@link PROBE_AFTER} ms, of whether the server refuses this client's certificate. */
interface CertificateCheck {
  /** Rejects with a `BrokerTlsError` when the server refuses the client's certificate; otherwise never settles. */
  readonly refused: Promise<never>;
  /** Whether the check ran (the attempt lasted {@link PROBE_AFTER} ms). */
  readonly started: boolean;
  /** Stops the check: its timer, and a result that comes later is ignored. */
  cancel(): void;
}

/**
 * nats.js only times out when a server refuses the client's certificate over TLS 1.3 (see
 * `probeClientCertificate`): when an attempt is still pending after {@link PROBE_AFTER} ms,
 * the handshake is repeated alone to find out, once per `openClient`.
 */
const checkCertificate = (options: ResolvedNatsOptions): CertificateCheck => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  let started = false;
  const refused = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      started = true;
      const tls = options.tls ?? {};
      void Promise.all(options.servers.map(server => probeClientCertificate(server, tls, PROBE_TIMEOUT))).then(errors => {
        const failure = errors.map(error => error && tlsFailure(error, options.host, undefined, hasClientCertificate(options) ?? false)).find(error => error !== undefined);
        if (failure && !cancelled) reject(failure);
      });
    }, PROBE_AFTER);
  });
  return {
    refused,
    get started() {
      return started;
    },
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
};

/**
 * Connects, retrying while the server is unreachable, up to `timeout`. Once connected the
 * client reconnects by itself, for ever, with `backoff` (capped exponential, jitter). A
 * certificate problem fails at once with a `BrokerTlsError`, a client certificate the server
 * refuses included (found by a check when an attempt lasts more than a second).
 */
export const openClient = async (options: ResolvedNatsOptions, name: string, backoff: Backoff): Promise<NatsClient> => {
  const deadline = Date.now() + options.timeout;
  let checked = options.tls === null; // never TLS: no certificate to check
  for (let attempt = 1; ; attempt++) {
    const check = checked ? undefined : checkCertificate(options);
    try {
      const connecting = connect({
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
      if (!check) return await connecting;
      try {
        return await Promise.race([connecting, check.refused]);
      } catch (error) {
        // the certificate was refused first: a connection that still opens is closed, a failure dropped
        if (error instanceof BrokerTlsError) void connecting.then(client => client.close(), () => undefined);
        throw error;
      } finally {
        check.cancel();
        if (check.started) checked = true;
      }
    } catch (error) {
      if (error instanceof BrokerTlsError) throw error;
      // wrong credentials do not heal by retrying either (nats.js: a bare `AuthorizationError`)
      if (isPermanent(error)) throw new BrokerAuthError(options.host, error, 'the `user` and `pass` options (or `token`, or the user and password in `host`)');
      // a certificate does not heal by retrying: say at once what to fix
      const tls = tlsFailure(error, options.host, undefined, hasClientCertificate(options));
      if (tls) throw tls;
      const delay = reconnectDelay(attempt, options.reconnect);
      if (Date.now() + delay >= deadline) throw new BrokerUnavailableError(options.host, options.timeout, error);
      await sleep(delay);
    }
  }
};
