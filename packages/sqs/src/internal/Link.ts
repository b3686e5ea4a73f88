import { BehaviorSubject, Subject } from 'rxjs';
import { BrokerUnavailableError, ConnectionClosedError, ConnectionStatus } from '@tributary/messaging';
import { reconnectDelay } from '@tributary/messaging/transport';
import type { ResolvedSqsOptions } from './resolveOptions';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** A failure of the network or of the server (5xx, throttling), worth trying again; not a refusal of the request. */
export const isTransient = (error: unknown): boolean => {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; cause?: unknown };
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'AbortError') return false;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout' || e.name === 'ThrottlingException' || e.name === 'RequestThrottled') return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (/socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|other side closed|network/i.test(e.message ?? '')) return true;
  return e.cause !== undefined && e.cause !== error && isTransient(e.cause);
};

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The health of the HTTP link to SQS: `status$` (connected; disconnected then reconnecting
 * while requests fail on the network; connected again on the first success), and `call`,
 * which retries transient failures with backoff until a deadline.
 */
export class Link {
  readonly status$ = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.CONNECTED);
  readonly error$ = new Subject<Error>();
  /** Aborted on close: long polls and backoff sleeps end at once. */
  private readonly closing = new AbortController();

  constructor(private readonly options: ResolvedSqsOptions) {}

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  get signal(): AbortSignal {
    return this.closing.signal;
  }

  /** When a request last succeeded (ms). */
  lastOk = Date.now();

  ok(): void {
    this.lastOk = Date.now();
    if (!this.closed && this.status$.value !== ConnectionStatus.CONNECTED) this.status$.next(ConnectionStatus.CONNECTED);
  }

  /** A request failed on the network. */
  down(error: unknown): void {
    if (this.closed) return;
    if (this.status$.value === ConnectionStatus.CONNECTED) {
      this.status$.next(ConnectionStatus.DISCONNECTED);
      this.status$.next(ConnectionStatus.RECONNECTING);
    }
    this.report(error);
  }

  report(error: unknown): void {
    if (!this.closed) this.error$.next(error instanceof Error ? error : new Error(String(error)));
  }

  /** Runs `request`, trying again after transient failures until `timeout` ms have passed. */
  async call<T>(request: (signal: AbortSignal) => Promise<T>, timeout = this.options.timeout): Promise<T> {
    const deadline = Date.now() + timeout;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new ConnectionClosedError(this.options.channel);
      try {
        const result = await request(this.closing.signal);
        this.ok();
        return result;
      } catch (error) {
        if (this.closed) throw new ConnectionClosedError(this.options.channel);
        if (!isTransient(error)) throw error;
        this.down(error);
        const delay = reconnectDelay(attempt, this.options.reconnect);
        if (Date.now() + delay >= deadline) throw new BrokerUnavailableError(this.options.host, timeout, error);
        await sleep(delay, this.closing.signal);
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closing.abort();
    this.status$.next(ConnectionStatus.CLOSED);
    this.status$.complete();
    this.error$.complete();
  }
}
