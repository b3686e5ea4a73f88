/**
 * The exit codes of the `tributary` command, one per kind of outcome, for scripts.
 *
 * | code | name | meaning |
 * |---|---|---|
 * | 0 | `OK` | done |
 * | 1 | `UNEXPECTED` | an unexpected error (a bug: please report it) |
 * | 2 | `USAGE` | bad arguments: unknown command, transport or option, missing `--queue` |
 * | 3 | `UNREACHABLE` | the broker could not be reached (or refused the login) within `--timeout` |
 * | 4 | `EMPTY` | no dead letters (none matching the filter) |
 * | 5 | `NOT_FOUND` | the service has no dead-letter queue or stream on that broker |
 * | 6 | `PARTIAL` | a redrive stopped part way; the others are still dead letters |
 * | 7 | `UNSUPPORTED` | the transport package is not installed or cannot redrive |
 *
 * @example
 * ```ts
 * import { EXIT_CODES } from '@tributary/cli';
 * const nothingToDo = (code: number): boolean => code === EXIT_CODES.EMPTY;
 * ```
 * @since 0.2.0
 * @category cli
 */
export const EXIT_CODES = {
  OK: 0,
  UNEXPECTED: 1,
  USAGE: 2,
  UNREACHABLE: 3,
  EMPTY: 4,
  NOT_FOUND: 5,
  PARTIAL: 6,
  UNSUPPORTED: 7,
} as const;
