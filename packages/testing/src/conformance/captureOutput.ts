import { AssertionError } from 'node:assert';
import { formatWithOptions, inspect } from 'node:util';

/** What {@link captureOutput} saw while its work ran. */
export interface CapturedOutput<T> {
  /** What the work resolved to, or the error it rejected with. */
  readonly result: T | Error;
  /** Everything written to stdout, stderr and the console meanwhile, one write a line. */
  readonly output: string;
  /** How long the work took, in ms. */
  readonly elapsed: number;
}

const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Replaces `target[key]` by `value`; the function returned puts back exactly what was there. */
const replace = <O extends object>(target: O, key: keyof O & string, value: unknown): (() => void) => {
  const own = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, configurable: true, writable: true });
  return () => (own ? Object.defineProperty(target, key, own) : delete target[key]);
};

/**
 * Runs `work` with stdout, stderr and `console.log/info/warn/error/debug` captured (not
 * printed) and gives back what it resolved to or rejected with, everything written meanwhile
 * (console calls formatted as the console would, objects 8 levels deep) and how long it took. The
 * streams and the console are put back when the work settles. For tests that a secret never
 * shows in logs: see {@link expectNoSecret}.
 *
 * @example
 * ```ts
 * import { captureOutput, expectNoSecret } from '@tributary/testing/conformance';
 *
 * const { result, output, elapsed } = await captureOutput(() => client.emit({ type: 'Ping' }));
 * expect((result as Error).name).toBe('BrokerAuthError');
 * expect(elapsed).toBeLessThan(10_000);
 * expectNoSecret(result, output, PASSWORD);
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const captureOutput = async <T>(work: () => Promise<T>): Promise<CapturedOutput<T>> => {
  const chunks: string[] = [];
  const write = (chunk: unknown): boolean => (chunks.push(String(chunk)), true);
  const restores = [
    replace(process.stdout, 'write', write),
    replace(process.stderr, 'write', write),
    ...CONSOLE_LEVELS.map(level => replace(console, level, (...args: unknown[]) => void chunks.push(formatWithOptions({ depth: 8 }, ...args)))),
  ];
  const started = Date.now();
  try {
    const result = await work().catch((error: Error) => error);
    return { result, output: chunks.join('\n'), elapsed: Date.now() - started };
  } finally {
    for (const restore of restores.reverse()) restore();
  }
};

/**
 * Every text an error can show, joined: `util.inspect` (8 levels deep), the message and stack
 * of the error and of each `cause` down the chain, and `JSON.stringify` (when not circular).
 *
 * @example
 * ```ts
 * import { errorText } from '@tributary/testing/conformance';
 *
 * const error = await client.emit({ type: 'Ping' }).catch((e: Error) => e);
 * expect(errorText(error)).toMatch(/not authori[sz]ed/i);
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const errorText = (error: unknown): string => {
  const parts: string[] = [inspect(error, { depth: 8 })];
  for (let e = error as { message?: string; stack?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) parts.push(String(e.message), String(e.stack));
  try {
    parts.push(JSON.stringify(error));
  } catch {
    // circular: inspect above has it
  }
  return parts.join('\n');
};

/**
 * Asserts that none of `secrets` (passwords, tokens) appears in any text of `error` (see
 * {@link errorText}) nor in `output` (what {@link captureOutput} captured). Throws an
 * `AssertionError` saying which secret (by position, never its value) showed where.
 *
 * @example
 * ```ts
 * import { captureOutput, expectNoSecret } from '@tributary/testing/conformance';
 *
 * const wrong = `wrong-${PASSWORD}`;
 * const { result, output } = await captureOutput(() => connectWith(wrong));
 * expectNoSecret(result, output, PASSWORD, wrong);
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const expectNoSecret = (error: unknown, output: string, ...secrets: readonly string[]): void => {
  if (secrets.length === 0 || secrets.some(secret => typeof secret !== 'string' || secret.length === 0)) {
    throw new TypeError('expectNoSecret: give the secrets to look for, each a non-empty string (an empty one would be found everywhere)');
  }
  const places: Array<[string, string]> = [
    ['the error (message, stack, causes, inspect or JSON)', errorText(error)],
    ['the captured stdout/stderr/console output', output],
  ];
  const found = secrets.flatMap((secret, i) => places.filter(([, text]) => text.includes(secret)).map(([where]) => `secret #${i + 1} shows in ${where}`));
  if (found.length > 0) throw new AssertionError({ message: `expectNoSecret: ${found.join('; ')}`, stackStartFn: expectNoSecret });
};
