import { redriveDeadLetters } from '@tributary/messaging';
import type { RedriveProgress, RedriveResult } from '@tributary/messaging';
import { EXIT_CODES } from './exitCodes';
import { parseCommand, USAGE, UsageError } from './internal/args';
import type { DeadLettersCommand } from './internal/args';
import { table, toJson } from './internal/format';

/**
 * Where the command writes: `out` for results (tables, JSON), `err` for progress and errors.
 *
 * @example
 * ```ts
 * import type { CliOutput } from '@tributary/cli';
 * const lines: string[] = [];
 * const io: CliOutput = { out: text => void lines.push(text), err: text => void lines.push(text) };
 * ```
 * @since 0.2.0
 * @category cli
 */
export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether `err` is a terminal (progress is then redrawn in place). */
  interactive?: boolean;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/** The exit code of an error, by its name (the classes live in the transport packages). */
const codeOf = (error: unknown): number => {
  const name = (error as Error)?.name;
  const context = (error as { context?: string })?.context ?? '';
  if (error instanceof UsageError || /\.options$/.test(context)) return EXIT_CODES.USAGE;
  if (name === 'BrokerUnavailableError' || /\.connect$/.test(context)) return EXIT_CODES.UNREACHABLE;
  if (name === 'DeadLetterDestinationNotFoundError') return EXIT_CODES.NOT_FOUND;
  if (name === 'RedriveFailedError') return EXIT_CODES.PARTIAL;
  if (name === 'TransportNotInstalledError' || name === 'RedriveNotSupportedError') return EXIT_CODES.UNSUPPORTED;
  return EXIT_CODES.UNEXPECTED;
};

const describe = (command: DeadLettersCommand): string =>
  `${command.transportName} ${String(command.options.queue ?? command.options.channel ?? command.options.topic ?? 'event_bus')}` +
  (command.types.length ? ` type ${command.types.join(',')}` : '') +
  (command.reasons.length ? ` reason ${command.reasons.join(',')}` : '');

const run = async (command: DeadLettersCommand, io: CliOutput): Promise<number> => {
  const moving = command.action === 'redrive' && !command.dryRun;
  let lastShown = 0;
  const onProgress = (p: RedriveProgress): void => {
    if (!moving || command.json || p.moved === lastShown) return;
    if (io.interactive) io.err(`\rmoving: ${p.moved} of ${p.matched} matched so far (${p.scanned} read)`);
    else if (p.moved - lastShown >= 100 || p.moved === p.matched) io.err(`moving: ${p.moved} of ${p.matched} matched so far (${p.scanned} read)\n`);
    else return;
    lastShown = p.moved;
  };
  const result: RedriveResult = await redriveDeadLetters({
    transport: command.transport,
    options: command.options as never,
    filter: { type: command.types.length ? command.types : undefined, reason: command.reasons.length ? command.reasons : undefined },
    limit: command.limit,
    dryRun: !moving,
    onProgress,
  });
  if (io.interactive && lastShown > 0) io.err('\n');
  const now = Date.now();
  if (command.json) io.out(`${JSON.stringify({ moved: result.moved, matched: result.matched, letters: result.letters.map(l => toJson(l, now)) }, null, 2)}\n`);
  if (result.matched === 0) {
    io.err(`No dead letters (${describe(command)}).\n`);
    return EXIT_CODES.EMPTY;
  }
  if (command.json) return EXIT_CODES.OK;
  if (moving) io.out(`Moved ${result.moved} of ${result.matched} dead letters back to ${describe(command)}.\n`);
  else {
    io.out(`${table(result.letters, now)}\n`);
    const more = command.limit !== undefined && result.matched === command.limit ? ` (the first ${command.limit}; --limit shows more)` : '';
    io.out(`${result.matched} dead letters${more}${command.dryRun ? ', would be moved (dry run)' : ''}: ${describe(command)}.\n`);
  }
  return EXIT_CODES.OK;
};

/**
 * Runs the `tributary` command line and resolves with its exit code; never throws (errors are
 * one line on `err`, with a distinct exit code: see `EXIT_CODES`).
 *
 * @example
 * ```ts
 * import { runCli } from '@tributary/cli';
 * const code = await runCli(['dead-letters', 'list', '--transport', 'local'], { out: s => process.stdout.write(s), err: s => process.stderr.write(s) });
 * ```
 * @since 0.2.0
 * @category cli
 */
export const runCli = async (argv: readonly string[], io: CliOutput): Promise<number> => {
  try {
    const command = parseCommand(argv);
    if (command === 'help') {
      io.out(`${USAGE}\n`);
      return EXIT_CODES.OK;
    }
    return await run(command, io);
  } catch (error) {
    const code = codeOf(error);
    const host = (error as { host?: string })?.host;
    const message =
      (error as Error)?.name === 'BrokerUnavailableError' && host
        ? `Cannot reach the broker at ${host} within ${(error as { timeout?: number }).timeout} ms: is it running, and are --host and the credentials right? (--timeout waits longer)`
        : oneLine(String((error as Error)?.message ?? error));
    io.err(`tributary: ${message}${code === EXIT_CODES.UNEXPECTED ? ' (an unexpected error: please report it)' : ''}\n`);
    return code;
  }
};
