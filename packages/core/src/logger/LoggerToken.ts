import { createContextToken } from '../context/contextToken';
import type { Logger } from './logger.interface';

/**
 * The token of the logger every Tributary server uses. Servers bind `createLogger()` when
 * you bind nothing.
 *
 * @example
 * ```ts
 * import { bindTo, createLogger, LoggerToken } from '@tributary/core';
 * const logger = createLogger({ level: 'warn' });
 * // a Logger is a function: bind it inside a reader, or it is taken for one
 * export const dependencies = [bindTo(LoggerToken)(() => logger)];
 * ```
 * @since 0.1.0
 * @category logger
 */
export const LoggerToken = createContextToken<Logger>('LoggerToken');
