import { createContextToken } from '../context/contextToken';
import type { Logger } from './logger.interface';

/**
 * The token of the logger every Tributary server uses. Servers bind `createLogger()` when
 * you bind nothing.
 *
 * @example
 * ```ts
 * import { bindTo, createLogger, LoggerToken } from '@tributary/core';
 * export const dependencies = [bindTo(LoggerToken)(createLogger({ level: 'warn' }))];
 * ```
 * @since 0.1.0
 * @category logger
 */
export const LoggerToken = createContextToken<Logger>('LoggerToken');
