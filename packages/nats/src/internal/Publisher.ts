import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { BrokerUnavailableError, ConnectionClosedError, reconnectDelay } from '@tributary/messaging/transport';
import type { ResolvedNatsOptions } from './resolveOptions';

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** Failures worth another try with the same `Nats-Msg-Id` (the server drops a copy that did arrive). */
export const isTransient = (error: unknown): boolean => {
  const name = (error as Error)?.name ?? '';
  const message = String((error as Error)?.message ?? '');
  return (
    name === 'TimeoutError' ||
    name === 'NoRespondersError' ||
    name === 'JetStreamNotEnabled' ||
    name === 'ConnectionError' ||
    name === 'RequestError' ||
    /timeout|no responders|disconnect|reconnect/i.test(message)
  );
};

/**
 * JetStream publishing that waits for the server's acknowledgement and tries again, with the
 * same message id, while the server is unreachable, up to `timeout`: a resolved publish is
 * stored, and a copy that made it before a lost acknowledgement is dropped by the server's
 * duplicate window.
 */
export class Publisher {
  closed = false;
  private readonly reconnects = new Set<() => void>();

  constructor(
    private readonly js: JetStreamClient,
    private readonly options: ResolvedNatsOptions,
    /** Called before retrying after the stream seemed missing (re-creates it). */
    private readonly onMissingStream: (subject: string) => Promise<void>,
  ) {}

  async publish(subject: string, data: Uint8Array, headers: MsgHdrs): Promise<PubAck> {
    const deadline = Date.now() + this.options.timeout;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new ConnectionClosedError(this.options.channel);
      let error: unknown;
      try {
        const outcome = await this.attempt(subject, data, headers, deadline - Date.now());
        if (outcome !== 'reconnected') return outcome;
        attempt = 0;
        continue;
      } catch (e) {
        error = e;
      }
      if (this.closed) throw new ConnectionClosedError(this.options.channel);
      if (!isTransient(error)) throw error;
      const delay = reconnectDelay(attempt, this.options.reconnect);
      if (Date.now() + delay >= deadline) throw new BrokerUnavailableError(this.options.host, this.options.timeout, error);
      await sleep(delay);
      if ((error as Error)?.name === 'JetStreamNotEnabled') await this.onMissingStream(subject).catch(() => undefined);
    }
  }

  /** One publish; a request written just before the connection broke is lost with it, so a reconnection ends the wait. */
  private async attempt(subject: string, data: Uint8Array, headers: MsgHdrs, remaining: number): Promise<PubAck | 'reconnected'> {
    let resend!: () => void;
    const reconnected = new Promise<'reconnected'>(resolve => (resend = () => resolve('reconnected')));
    this.reconnects.add(resend);
    try {
      return await Promise.race([this.js.publish(subject, data, { headers, timeout: Math.max(500, Math.min(5_000, remaining)) }), reconnected]);
    } finally {
      this.reconnects.delete(resend);
    }
  }

  /** The connection is back: publishes waiting for an acknowledgement are sent again (same id). */
  reconnected(): void {
    for (const resend of [...this.reconnects]) resend();
  }
}
