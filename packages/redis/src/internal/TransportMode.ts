import type Redis from 'ioredis';
import type { EncodedError } from '@tributary/core';
import type { DeadLetterInfo } from '@tributary/messaging';
import type { TransportMessage, SendOptions } from '@tributary/messaging/transport';
import type { ClientRole } from './clients';
import type { ResolvedRedisOptions } from './resolveOptions';
import type { StatusTracker } from './StatusTracker';
import type { Subscriber } from './Subscriber';

/** How long `close` waits for settlement commands under way, ms. */
export const CLOSE_WAIT = 5_000;

/** What a mode gets from its connection. */
export interface ModeContext {
  readonly options: ResolvedRedisOptions;
  /** The command client (never blocked, never in subscriber mode). */
  readonly command: Redis;
  readonly subscriber: Subscriber;
  readonly status: StatusTracker;
  /** Opens, connects (waiting `timeout` ms at most, default: forever) and tracks another client. */
  openClient(role: ClientRole, timeout?: number): Promise<Redis>;
  /** Closes a client opened with `openClient`. */
  closeClient(client: Redis, now?: boolean): Promise<void>;
  /** Runs a command within `timeout`, failing with `BrokerUnavailableError`. */
  withinTimeout<T>(command: () => Promise<T>): Promise<T>;
  /** Reports a problem on `error$`. */
  report(error: unknown): void;
}

/** How one mode (pubsub or streams) moves and settles messages. */
export interface TransportMode {
  /** Prepares what must exist before consuming (groups, registrations). */
  setup(isConsumer: boolean): Promise<void>;
  /** Starts handing incoming messages to `deliver`. */
  start(deliver: (message: TransportMessage) => void): Promise<void>;
  /** Stops reading (in-flight messages can still be settled). */
  stop(): Promise<void>;
  emit(channel: string, message: TransportMessage): Promise<boolean>;
  publish(topic: string, message: TransportMessage): Promise<boolean>;
  /** Sends a request carrying the reply address. */
  /** `reframe` frames the request again with its reply routing (pub/sub: the envelope is the message). */
  request(channel: string, message: TransportMessage, replyTo: string, correlationId: string, reframe?: SendOptions['reframe']): Promise<unknown>;
  ack(message: TransportMessage | undefined): Promise<void>;
  nack(message: TransportMessage | undefined, resend: boolean): Promise<void>;
  retry(message: TransportMessage, retry: { delay: number; attempt: number; error: EncodedError }): Promise<void>;
  deadLetter(message: TransportMessage, info: DeadLetterInfo): Promise<void>;
  /** Stops everything, waits for settlements under way, clears timers. */
  close(): Promise<void>;
}
