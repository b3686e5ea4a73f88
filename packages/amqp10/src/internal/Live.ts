import type { Connection, Container, EventContext, Session } from 'rhea';
import { Amqp10ConnectionLostError } from '../errors';
import type { ResolvedAmqp10Options } from './resolveOptions';
import { SettlementQueue } from './SettlementQueue';

/** One broker connection; a reconnection makes a new one (deliveries of the old one are never settled on it). */
export interface Live {
  readonly generation: number;
  readonly connection: Connection;
  /** The session of the receivers that settle by hand, and its one-settlement-per-tick queue. */
  readonly consumer: Session;
  readonly settlements: SettlementQueue;
  alive: boolean;
  /** Fires when the connection is gone. */
  readonly lost: Promise<Amqp10ConnectionLostError>;
}

/** How long one connection attempt may take, ms (bounded by `timeout`). */
const OPEN_TIMEOUT = 10_000;
const ERROR_EVENTS = ['error', 'protocol_error', 'connection_error', 'session_error', 'sender_error', 'receiver_error'] as const;
const noop = (): void => undefined;

const asError = (error: unknown): Error =>
  error instanceof Error ? error : Object.assign(new Error(String((error as { description?: string }).description ?? error)), error);

/**
 * Opens one connection (rhea's own reconnection off) and its consumer session; resolves once
 * the broker answered the AMQP open, within `timeout` (10 s at most: a peer that takes the TCP
 * connection and never answers must not hang `start()` or `close()`). `onLost` is called when
 * the connection goes, `onError` with what rhea reports.
 */
export const openLive = async (
  container: Container,
  options: ResolvedAmqp10Options,
  generation: number,
  onLost: (live: Live) => void,
  onError: (error: Error) => void,
): Promise<Live> => {
  const connection = container.connect(options.connect as never);
  let markLost: (error: Amqp10ConnectionLostError) => void = noop;
  const lost = new Promise<Amqp10ConnectionLostError>(resolve => (markLost = resolve));
  const consumer = connection.create_session();
  consumer.open();
  const live: Live = { generation, connection, consumer, settlements: new SettlementQueue(), alive: false, lost };
  const opened = new Promise<void>((resolve, reject) => {
    connection.once('connection_open', () => resolve());
    connection.on('disconnected', (context: EventContext) => {
      const cause = context.error ?? connection.error;
      reject(cause instanceof Error ? cause : new Error(`The broker at ${options.host} closed the connection`));
      markLost(new Amqp10ConnectionLostError(options.channel, cause));
      onLost(live);
    });
  });
  for (const name of ERROR_EVENTS) {
    connection.on(name, (context: EventContext) => {
      const error = context.error ?? context.receiver?.error ?? context.sender?.error ?? context.session?.error ?? context.connection?.error;
      if (error) onError(asError(error));
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const patience = Math.min(options.timeout, OPEN_TIMEOUT);
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The broker at ${options.host} did not open the AMQP connection within ${patience} ms`)), patience);
  });
  try {
    await Promise.race([opened, late]).finally(() => clearTimeout(timer));
  } catch (error) {
    dropLive(live);
    throw error;
  }
  return live;
};

/** Closes a connection that failed to open or to resume (no close handshake to wait for when it never opened). */
export const dropLive = (live: Live): void => {
  live.alive = false;
  live.connection.close();
  if (!live.connection.is_open()) (live.connection as unknown as { socket?: { destroy(): void } }).socket?.destroy();
};
