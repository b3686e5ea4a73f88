import { parseArgs } from 'node:util';
import { ScaffoldError } from './ScaffoldError';
import { ScaffoldOptions, TRANSPORTS, TransportName } from './ScaffoldOptions';

/**
 * The usage text of `npm create tributary`.
 * @since 0.2.0
 * @category command line
 */
export const USAGE = `Usage: npm create tributary@latest <directory> -- [--transport ${TRANSPORTS.join('|')}]

Scaffolds a Tributary service into <directory>: an event codec, an effect, the microservice,
a test with @tributary/testing, tsconfig, jest config, README, and a compose.yaml for the
broker. Then: cd <directory> && npm install && npm test

Options:
  --transport <name>          ${TRANSPORTS.join(', ')} (default: local, in-process)
  --registry-tarballs <dir>   for testing unpublished packages: depend on the npm pack
                              tarballs in <dir> instead of the registry (or TRIBUTARY_TARBALLS)
  -h, --help                  this text`;

/**
 * Reads the command line of `create-tributary` (without `node` and the script).
 *
 * @example
 * ```ts
 * import { parseCommandLine } from 'create-tributary';
 * parseCommandLine(['my-service', '--transport', 'amqp']); // { directory: 'my-service', transport: 'amqp' }
 * ```
 * @since 0.2.0
 * @category command line
 */
export const parseCommandLine = (args: readonly string[], env: NodeJS.ProcessEnv = {}): ScaffoldOptions | 'help' => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        transport: { type: 'string', short: 't' },
        'registry-tarballs': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new ScaffoldError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (parsed.values.help) return 'help';
  const [directory, ...extra] = parsed.positionals;
  if (!directory) throw new ScaffoldError(`Give the folder to create, e.g. npm create tributary@latest my-service\n\n${USAGE}`);
  if (extra.length) throw new ScaffoldError(`One folder at a time (got ${parsed.positionals.join(', ')}).\n\n${USAGE}`);
  const transport = parsed.values.transport ?? 'local';
  if (!(TRANSPORTS as readonly string[]).includes(transport)) {
    throw new ScaffoldError(`Unknown transport "${transport}": use one of ${TRANSPORTS.join(', ')}.`);
  }
  const registryTarballs = parsed.values['registry-tarballs'] ?? env.TRIBUTARY_TARBALLS;
  return { directory, transport: transport as TransportName, ...(registryTarballs ? { registryTarballs } : {}) };
};
