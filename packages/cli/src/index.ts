/**
 * `@tributary/cli`: the `tributary` command (`npx tributary dead-letters list|redrive`), and
 * the same as a function for tools.
 * @packageDocumentation
 */
export { runCli } from './runCli';
export type { CliOutput } from './runCli';
export { EXIT_CODES } from './exitCodes';
