import type { IO } from 'fp-ts/IO';

/**
 * Log levels (the numbers are Marble.js's, so custom Marble loggers keep working).
 * @since 0.1.0
 * @category logger
 */
export enum LoggerLevel {
  INFO = 0,
  WARN = 1,
  ERROR = 2,
  DEBUG = 3,
  VERBOSE = 4,
}

/**
 * One log record.
 * @since 0.1.0
 * @category logger
 */
export interface LoggerOptions {
  /** The area: `messaging`, `event_bus`, `amqp`, ... */
  tag: string;
  /** What logged it, e.g. `ServerListener`. */
  type: string;
  message: string;
  level?: LoggerLevel;
  data?: Record<string, unknown>;
}

/**
 * A logger: `logger(record)()` writes it (the `IO` lets callers build records lazily).
 * Bind your own to `LoggerToken` to send logs elsewhere.
 *
 * @example
 * ```ts
 * import { bindTo, Logger, LoggerToken } from '@tributary/core';
 * const collected: string[] = [];
 * const memoryLogger: Logger = opts => () => { collected.push(opts.message); };
 * export const dependencies = [bindTo(LoggerToken)(() => memoryLogger)];
 * ```
 * @since 0.1.0
 * @category logger
 */
export type Logger = (options: LoggerOptions) => IO<void>;

/**
 * Tags Tributary packages log with.
 * @since 0.1.0
 * @category logger
 */
export const LoggerTag = {
  CORE: 'core',
  MESSAGING: 'messaging',
  EVENT_BUS: 'event_bus',
  WEBSOCKETS: 'websockets',
} as const;
