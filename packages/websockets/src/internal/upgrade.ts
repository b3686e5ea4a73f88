import { IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketUpgradeError } from '../error/errors';
import type { WebSocketServerOptions } from '../server/webSocketServerOptions';

/** The outcome of the upgrade checks. */
export type UpgradeDecision =
  | { readonly ok: true; readonly auth: unknown }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly headers?: Record<string, string>; readonly cause?: unknown };

const refuse = (status: number, message: string, headers?: Record<string, string>, cause?: unknown): UpgradeDecision => ({
  ok: false,
  status,
  message,
  headers,
  cause,
});

const originAllowed = (allowed: NonNullable<WebSocketServerOptions['allowedOrigins']>, origin: string): boolean =>
  typeof allowed === 'function' ? allowed(origin) : allowed.includes(origin);

const verify = (fn: NonNullable<WebSocketServerOptions['verifyClient']>, req: IncomingMessage): Promise<UpgradeDecision> => {
  const info = { origin: String(req.headers.origin ?? ''), secure: !!(req.socket as TLSSocket).encrypted, req };
  const decide = (result: boolean, code?: number, message?: string, headers?: Record<string, unknown>) =>
    result ? ({ ok: true, auth: undefined } as const) : refuse(code ?? 401, message ?? STATUS_CODES[code ?? 401] ?? 'Unauthorized', headers as Record<string, string>);
  // ws semantics: a hook declaring two parameters answers through the callback
  if (fn.length >= 2) return new Promise(resolve => fn(info, (result, code, message, headers) => resolve(decide(result, code, message, headers))));
  return Promise.resolve(decide(!!fn(info)));
};

const authenticate = async (fn: NonNullable<WebSocketServerOptions['authenticate']>, req: IncomingMessage): Promise<UpgradeDecision> => {
  try {
    const auth = await fn(req);
    return auth ? { ok: true, auth } : refuse(401, 'Unauthorized');
  } catch (error) {
    if (error instanceof WebSocketUpgradeError) return refuse(error.status, error.message, error.headers, error);
    // an unexpected failure is not explained to the client, only logged
    return refuse(401, 'Unauthorized', undefined, error);
  }
};

const withTimeout = (decision: Promise<UpgradeDecision>, timeout: number): Promise<UpgradeDecision> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<UpgradeDecision>(resolve => {
    timer = setTimeout(() => resolve(refuse(503, `The upgrade checks did not answer within ${timeout} ms`)), timeout);
  });
  return Promise.race([decision, late]).finally(() => clearTimeout(timer));
};

/** Origin, then `verifyClient`, then `authenticate`; the first refusal wins. Never rejects. */
export const checkUpgrade = async (req: IncomingMessage, options: WebSocketServerOptions, timeout: number): Promise<UpgradeDecision> => {
  try {
    const origin = req.headers.origin;
    if (options.allowedOrigins && origin !== undefined && !originAllowed(options.allowedOrigins, origin)) {
      return refuse(403, `Origin "${origin}" is not allowed to connect`);
    }
    if (!options.verifyClient && !options.authenticate) return { ok: true, auth: undefined };
    const run = async (): Promise<UpgradeDecision> => {
      if (options.verifyClient) {
        const verified = await verify(options.verifyClient, req);
        if (!verified.ok) return verified;
      }
      return options.authenticate ? authenticate(options.authenticate, req) : { ok: true, auth: undefined };
    };
    return await withTimeout(run(), timeout);
  } catch (error) {
    // a hook that throws (not a refusal): the server's fault, not the client's
    return refuse(500, 'Internal Server Error', undefined, error);
  }
};

const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, ' ');

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export const rejectUpgrade = (socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void => {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  const all: Record<string, string | number> = {
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  };
  const head = Object.entries(all).map(([name, value]) => `${name}: ${headerSafe(String(value))}`);
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head.join('\r\n')}\r\n\r\n${body}`);
};
