import { createLogger, Logger, LoggerConfig } from '@tributary/core';

const LEVELS: ReadonlyArray<NonNullable<LoggerConfig['level']>> = ['debug', 'info', 'warn', 'error', 'silent'];

/** Silent, unless `LOG_LEVEL` asks for more (to debug a failing test). */
export const createTestLogger = (): Logger => {
  const requested = process.env.LOG_LEVEL as LoggerConfig['level'];
  return createLogger({ level: requested && LEVELS.includes(requested) ? requested : 'silent' });
};
