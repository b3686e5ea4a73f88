import { connect } from 'mqtt';
import type { IClientOptions, IConnackPacket, IPublishPacket, MqttClient } from 'mqtt';
import { CoreError } from '@tributary/core';
import { BrokerAuthError, BrokerUnavailableError, reconnectDelay, tlsFailure } from '@tributary/messaging/transport';
import type { ResolvedMqttOptions } from './resolveOptions';

/**
 * Returned by `handleMessage` for a QoS 1 PUBLISH: mqtt.js then sends no PUBACK (and goes on
 * reading), because the delivery machine settles the message later (see `sendPuback`).
 */
const HOLD = new Error('PUBACK held until the message is settled');

/** The session a client opens. */
export interface SessionOptions {
  readonly clientId: string;
  readonly clean: boolean;
  /** Seconds the broker keeps the session while the client is offline. */
  readonly sessionExpiry: number;
  readonly receiveMaximum: number;
  /** Reconnect after a lost connection (with backoff); false for short-lived clients. */
  readonly reconnect: boolean;
}

/**
 * Opens an MQTT 5 client whose QoS 1 PUBACKs are sent by hand (`sendPuback`), never by mqtt.js:
 * every PUBLISH goes to `onPublish` as it arrives, and mqtt.js reads on at once (a held
 * message never blocks the connection). Reconnects with capped exponential backoff and jitter.
 */
export const openClient = (options: ResolvedMqttOptions, session: SessionOptions, onPublish: (packet: IPublishPacket) => void): MqttClient => {
  const base = options.mqttOptions as IClientOptions;
  const client = connect(options.url, {
    ...base,
    ...(options.tls as IClientOptions | undefined),
    clientId: session.clientId,
    protocolVersion: 5,
    clean: session.clean,
    keepalive: options.keepalive,
    reconnectPeriod: session.reconnect ? options.reconnect.initialDelay : 0,
    connectTimeout: Math.min(options.timeout, 30_000),
    resubscribe: true,
    ...(options.username !== undefined && { username: options.username }),
    ...(options.password !== undefined && { password: options.password }),
    properties: { ...base.properties, sessionExpiryInterval: session.sessionExpiry, receiveMaximum: session.receiveMaximum },
  });
  if (typeof (client as unknown as { _sendPacket?: unknown })._sendPacket !== 'function') {
    client.end(true);
    throw new CoreError('@tributary/mqtt: this mqtt.js version cannot send PUBACKs by hand; install mqtt 5.x (npm install mqtt@5).', { context: 'mqtt.client' });
  }
  // TCP_NODELAY on every connection: MQTT packets are small, and with Nagle's algorithm a PUBACK
  // or PUBLISH written right after another waits for the broker's delayed ACK (~40 ms per hop)
  noDelay(client);
  client.on('connect', () => noDelay(client));
  client.handleMessage = (packet, callback) => {
    onPublish(packet);
    callback(packet.qos > 0 ? HOLD : undefined);
  };
  if (session.reconnect) {
    let attempt = 0;
    client.on('reconnect', () => (client.options.reconnectPeriod = reconnectDelay(++attempt + 1, options.reconnect)));
    client.on('connect', () => (client.options.reconnectPeriod = reconnectDelay((attempt = 0) + 1, options.reconnect)));
  }
  return client;
};

/** Turns Nagle's algorithm off on the client's socket (TCP and TLS; a WebSocket stream has no such switch). */
const noDelay = (client: MqttClient): void => {
  const stream = client.stream as { setNoDelay?: (on: boolean) => unknown } | undefined;
  if (typeof stream?.setNoDelay === 'function') stream.setNoDelay(true);
};

/** Acknowledges a QoS 1 PUBLISH on the current connection; false when the client is not connected (nothing sent). */
export const sendPuback = (client: MqttClient, packetId: number, reasonCode: number): boolean => {
  if (!client.connected) return false;
  (client as unknown as { _sendPacket(packet: object): void })._sendPacket({ cmd: 'puback', messageId: packetId, reasonCode });
  return true;
};

/** The first CONNACK, or `BrokerUnavailableError` after `timeout` ms (or at once when the broker refuses the client: `BrokerAuthError` for refused credentials; or a `BrokerTlsError` when the TLS handshake fails). */
export const connected = (client: MqttClient, timeout: number, host: string): Promise<IConnackPacket> =>
  new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const done = (): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
    };
    const onConnect = (connack: IConnackPacket): void => {
      done();
      resolve(connack);
    };
    // whether a client certificate was given (mutual TLS), for the message when the broker refuses a missing one
    const { cert, pfx } = (client.options ?? {}) as { cert?: unknown; pfx?: unknown };
    const clientCertificate = cert !== undefined || pfx !== undefined;
    const onError = (error: Error & { code?: unknown }): void => {
      lastError = error;
      // a certificate does not heal by reconnecting: say at once what to fix
      const tls = tlsFailure(error, host, undefined, clientCertificate);
      if (tls) {
        done();
        reject(tls);
        return;
      }
      // a CONNACK refusal (bad credentials, client id rejected, ...) will not heal by retrying
      if (typeof error.code === 'number' && error.code >= 0x80) {
        done();
        // 0x86 bad user name or password, 0x87 not authorized (MQTT 5 reason codes)
        if (error.code === 0x86 || error.code === 0x87) {
          reject(new BrokerAuthError(host, error, 'the `username` and `password` options (or the user and password in `host`)'));
          return;
        }
        reject(new CoreError(`@tributary/mqtt: the broker at ${host} refused the connection: ${error.message}.`, { context: 'mqtt.connect', cause: error }));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new BrokerUnavailableError(host, timeout, lastError));
    }, timeout);
    client.on('connect', onConnect);
    client.on('error', onError);
  });

/** Waits for `promise` (its failure included), `ms` at most. */
export const settleWithin = async (promise: Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise(resolve => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
};

/** Disconnects politely (DISCONNECT after the outgoing messages in flight), `ms` at most, then drops the socket. */
export const endClient = async (client: MqttClient, ms: number): Promise<void> => {
  await settleWithin(client.endAsync(false), ms);
  if (!client.disconnected) await settleWithin(client.endAsync(true), ms);
};
