import { isIP, connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { NatsTlsOptions } from '@tributary/messaging';

/**
 * The TLS alerts a server sends when it refuses the client's certificate (none given, an unknown
 * CA, a bad or expired one): Node's codes for OpenSSL's alerts, e.g.
 * `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`, `ERR_SSL_TLSV1_ALERT_UNKNOWN_CA`,
 * `ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE`.
 */
const CLIENT_CERTIFICATE_REFUSED = /^ERR_SSL_.*ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_(UNKNOWN|EXPIRED|REVOKED)|ACCESS_DENIED)$/;

/** Reads the server's first line (`INFO {...}`) in plain text; `undefined` when it does not come. */
const readInfo = (socket: Socket): Promise<{ tls_required?: boolean; tls_available?: boolean } | undefined> =>
  new Promise(resolve => {
    let text = '';
    const done = (info: { tls_required?: boolean; tls_available?: boolean } | undefined): void => {
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      resolve(info);
    };
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end === -1) {
        if (text.length > 64 * 1024) done(undefined);
        return;
      }
      const match = /^INFO\s+(\{.*\})\s*$/i.exec(text.slice(0, end));
      try {
        done(match ? JSON.parse(match[1]!) : undefined);
      } catch {
        done(undefined);
      }
    };
    const onClose = (): void => done(undefined);
    socket.on('data', onData);
    socket.once('close', onClose);
  });

/**
 * Why a server refused this client's TLS certificate, found by repeating the TLS handshake
 * alone (no CONNECT: no credentials are sent): the TLS error whose code is one of the server's
 * alerts about the client certificate, or `undefined` (accepted, no TLS, unreachable, or
 * nothing within `timeout` ms).
 *
 * nats.js (3.4) cannot report it itself: over TLS 1.3 the client's side of the handshake ends
 * before the server has checked the client's certificate, the server's alert arrives after,
 * and nats.js drops the transport's error while it waits for the first PONG, so the connect
 * only times out. `openClient` runs this probe when a connect is slow, to fail at once with a
 * `BrokerTlsError` that says what to fix.
 *
 * @param server a server URL (`nats://host:port` or `tls://host:port`, credentials ignored)
 * @param tls the TLS options the client connects with (`{}`: the system's CAs)
 */
export const probeClientCertificate = (server: string, tls: NatsTlsOptions, timeout: number): Promise<Error | undefined> =>
  new Promise(resolve => {
    let url: URL;
    try {
      url = new URL(server.replace(/^(nats|tls):/, 'http:'));
    } catch {
      resolve(undefined);
      return;
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || 4222);
    const sockets: Socket[] = [];
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // the TLS socket before the TCP socket it wraps (the other way round crashed Node 24 with a segmentation fault)
      for (const socket of sockets.reverse()) socket.destroy();
      resolve(error !== undefined && CLIENT_CERTIFICATE_REFUSED.test(String((error as { code?: unknown }).code)) ? error : undefined);
    };
    const timer = setTimeout(() => finish(), timeout);
    const { handshakeFirst, ...options } = tls;
    const handshake = (socket?: Socket): void => {
      const secure = tlsConnect({
        ...(socket ? { socket } : { port }),
        host,
        ...(isIP(host) === 0 && { servername: host }),
        ...options,
      });
      sockets.push(secure);
      secure.on('error', error => finish(error));
      // accepted: a session ticket (TLS 1.3 servers send them once they have checked the client), data, or an orderly close
      secure.once('session', () => finish());
      secure.once('data', () => finish());
      secure.once('close', () => finish());
    };
    if (handshakeFirst === true) {
      handshake();
      return;
    }
    const plain = tcpConnect(port, host);
    sockets.push(plain);
    plain.on('error', () => finish());
    void readInfo(plain).then(info => {
      if (settled) return;
      if (info?.tls_required !== true && info?.tls_available !== true) finish();
      else handshake(plain);
    });
  });
