import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { cpus, totalmem } from 'node:os';

/** Broker addresses (loopback by default). */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What the parent found before running anything: why a group of cells cannot run, if so. */
export const environment = {
  rabbitmq: undefined as string | undefined,
  redis: undefined as string | undefined,
  tributaryAmqp: undefined as string | undefined,
  tributaryRedis: undefined as string | undefined,
  /** Said under the table: how some cells were run. */
  notes: [] as string[],
};

export const portOpen = (url: string, fallbackPort: number): Promise<string | undefined> =>
  new Promise(resolve => {
    const { hostname, port } = new URL(url);
    const socket = createConnection({ host: hostname, port: Number(port || fallbackPort) });
    const done = (reason?: string) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(2000, () => done(`${hostname}:${port || fallbackPort} does not answer (run \`npm run services\`)`));
    socket.once('connect', () => done());
    socket.once('error', error => done(`${hostname}:${port || fallbackPort}: ${error.message} (run \`npm run services\`)`));
  });

const transportExport = (name: string): string | undefined => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(name);
    return typeof mod.createTransportLayer === 'function' ? undefined : `${name} does not export createTransportLayer yet`;
  } catch (error) {
    return `${name} cannot be loaded: ${(error as Error).message.split('\n')[0]}`;
  }
};

/** Probes brokers and packages, once, in the parent. */
export const probeEnvironment = async (): Promise<void> => {
  environment.rabbitmq = await portOpen(AMQP_URL, 5672);
  environment.redis = await portOpen(REDIS_URL, 6379);
  environment.tributaryAmqp = transportExport('@tributary/amqp');
  environment.tributaryRedis = transportExport('@tributary/redis');
};

/** The machine, for the report. */
export const machine = (): Record<string, string> => {
  const version = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, { timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  return {
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    redis: version('redis-server', ['--version']),
    rabbitmq: version('rabbitmqctl', ['-q', 'version']),
  };
};
