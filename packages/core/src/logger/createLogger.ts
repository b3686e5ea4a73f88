import { Logger, LoggerLevel, LoggerOptions } from './logger.interface';
import { safeJson } from '../internal/safeJson';
import { writeStdoutLine } from '../internal/stdoutLines';

/**
 * Options of {@link createLogger}.
 * @since 0.1.0
 * @category logger
 */
export interface LoggerConfig {
  /** Lowest level written. */
  level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `pretty` for terminals, `json` for one JSON object per line. */
  format?: 'pretty' | 'json';
  /** Where lines go. */
  write?: (line: string) => void;
}

/** Defaults: info and up, pretty; silent when `NODE_ENV=test` (set `LOG_LEVEL` to override). */
export const DEFAULT_LOGGER_CONFIG: Required<Omit<LoggerConfig, 'write'>> = {
  level: 'info',
  format: 'pretty',
};

const rank = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
const rankOf = (level: LoggerLevel | undefined): number =>
  level === LoggerLevel.ERROR ? 40 : level === LoggerLevel.WARN ? 30 : level === LoggerLevel.DEBUG || level === LoggerLevel.VERBOSE ? 10 : 20;
const nameOf = (r: number) => (r >= 40 ? 'error' : r >= 30 ? 'warn' : r >= 20 ? 'info' : 'debug');

const noop = () => undefined;

const envLevel = (): LoggerConfig['level'] | undefined => {
  const level = process.env.LOG_LEVEL as LoggerConfig['level'] | undefined;
  if (level && level in rank) return level;
  return process.env.NODE_ENV === 'test' ? 'silent' : undefined;
};

/**
 * Creates the default logger: levels, pretty or JSON lines; records below the level cost
 * nothing. Writing a record never throws: data that JSON cannot hold (a `bigint`, a cycle)
 * is written as text, and when stdout is a closed pipe (`EPIPE`) lines are dropped instead
 * of the process ending.
 *
 * @example
 * ```ts
 * import { bindTo, createLogger, LoggerLevel, LoggerToken } from '@tributary/core';
 * const logger = createLogger({ level: 'debug', format: 'json' });
 * logger({ tag: 'app', type: 'Boot', message: 'ready', level: LoggerLevel.INFO })();
 * export const dependencies = [bindTo(LoggerToken)(() => logger)];
 * ```
 * @since 0.1.0
 * @category logger
 */
export const createLogger = (config: LoggerConfig = {}): Logger => {
  const level = config.level ?? envLevel() ?? DEFAULT_LOGGER_CONFIG.level;
  const min = rank[level];
  const format = config.format ?? (process.env.LOG_FORMAT === 'json' ? 'json' : DEFAULT_LOGGER_CONFIG.format);
  const write = config.write ?? writeStdoutLine;
  const render = (opts: LoggerOptions, r: number): string => {
    if (format === 'json') {
      return safeJson({ time: new Date().toISOString(), level: nameOf(r), tag: opts.tag, type: opts.type, message: opts.message, ...opts.data });
    }
    const data = opts.data ? ' ' + safeJson(opts.data) : '';
    return `${new Date().toISOString()} ${nameOf(r).toUpperCase().padEnd(5)} [${opts.tag}] ${opts.type}: ${opts.message}${data}`;
  };
  return opts => {
    const r = rankOf(opts.level);
    if (r < min) return noop;
    return () => write(render(opts, r));
  };
};
