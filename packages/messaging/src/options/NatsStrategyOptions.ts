/*
 * Types only: the options of @tributary/nats, declared here so that createMicroservice checks
 * them without that package installed (TransportOptionsMap). @tributary/nats re-exports them.
 */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { DeliveryOptions } from '../transport/transportOptions';

/**
 * TLS of a NATS connection: Node's `tls.connect` options (`ca`, `cert`, `key`, `servername`,
 * `rejectUnauthorized`, ...), and `handshakeFirst` for a server configured with
 * `handshake_first` (TLS before the server's INFO).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import type { NatsTlsOptions } from '@tributary/nats';
 *
 * const tls: NatsTlsOptions = { ca: readFileSync('ca.pem') };
 * // mutual TLS: { ca, cert: readFileSync('client.pem'), key: readFileSync('client-key.pem') }
 * ```
 * @since 0.2.0
 * @category nats
 */
export interface NatsTlsOptions extends TlsConnectionOptions {
  /** TLS from the first byte (the server has `handshake_first: true`). Default `false`: TLS after the server's INFO, as NATS does by default. */
  handshakeFirst?: boolean;
}

/**
 * Options of `Transport.NATS` (package `@tributary/nats`), for `createMicroservice` and
 * `MessagingClient`. Messages emitted to a service are kept in a JetStream stream on the
 * subject `<channel>` and read by one durable pull consumer per service (its instances
 * compete); `send` is core NATS request/reply on `<channel>.rpc`; `publish` goes to
 * `event.<type>`; dead letters to the subject `<channel>.dead-letter`, kept by a stream.
 * Declared here (types only) so that `@tributary/messaging` type-checks them; the runtime is
 * `@tributary/nats`, which re-exports this type.
 *
 * @example
 * ```ts
 * import type { NatsStrategyOptions } from '@tributary/nats';
 *
 * const options: NatsStrategyOptions = {
 *   host: 'nats://127.0.0.1:4222',
 *   channel: 'orders',
 *   subscribe: ['PaymentCaptured', 'inventory.*'],
 *   retry: { maxAttempts: 5, initialDelay: 200 },
 * };
 * // createMicroservice({ transport: Transport.NATS, options, listener })
 * ```
 * @since 0.2.0
 * @category nats
 */
export interface NatsStrategyOptions extends DeliveryOptions {
  /** The server URL (`nats://user:pass@host:4222`), or several of one cluster. Default `nats://127.0.0.1:4222`. */
  host?: string | readonly string[];
  /** This service's channel (a NATS subject without wildcards), or the target service's for a client. */
  channel: string;
  /** The JetStream stream holding `<channel>` (work-queue retention). Default: an existing stream capturing the subject, else `<channel>` with `.` → `_`. */
  stream?: string;
  /** The durable consumer of this service, shared by its instances. Default: the stream name. */
  durable?: string;
  /** Dead letters: `false` drops them (still reported on `error$`); a string names the stream. Default: stream `<stream>_dead-letter` on `<channel>.dead-letter`. */
  deadLetter?: boolean | string;
  /** The stream behind `publish` (interest retention, subjects `<eventPrefix>.>`). Default `TRIBUTARY_EVENTS`. */
  eventStream?: string;
  /** Subject prefix of published events. Default `event`. */
  eventPrefix?: string;
  /** How long the server waits for an acknowledgement before redelivering, ms; handlers running longer are kept alive with `working()`. Default 30 000. */
  ackWait?: number;
  /** How long one pull request stays open on the server, ms (at least 1 000). Default 5 000. */
  pullExpires?: number;
  /** The most messages one instance holds unsettled (it pulls only as many as there is room for). Default 64. */
  prefetch?: number;
  /** Unacknowledged messages a service may hold over all its instances. Default 1 000. */
  maxAckPending?: number;
  /** Where new streams are stored. Default `'file'`. */
  storage?: 'file' | 'memory';
  /** How long the server remembers a `Nats-Msg-Id` to drop a re-published copy, ms. Default 120 000. */
  duplicateWindow?: number;
  /** Backoff of the first connection (retried up to `timeout`) and between reconnections, ms. Default `{ initialDelay: 100, maxDelay: 2000 }`. */
  reconnect?: { initialDelay?: number; maxDelay?: number };
  /**
   * TLS: `true` requires it with the system's CAs, an object gives Node's TLS options (`ca` of
   * a private CA, `cert` and `key` for mutual TLS), `false` never uses it (a server that
   * requires TLS then refuses the connection). Default: TLS when the server requires it (its
   * INFO says so), with the system's CAs. A certificate the client cannot verify fails the
   * connection at once with a `BrokerTlsError` that says what to fix.
   * @since 0.2.0
   */
  tls?: boolean | NatsTlsOptions;
  /** Credentials (or put them in the URL). */
  user?: string;
  pass?: string;
  token?: string;
  /** The connection's name as the server shows it. Default `tributary <service|client> <channel>`. */
  name?: string;
}
