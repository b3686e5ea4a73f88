import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { cpus, totalmem } from 'node:os';

/** Broker addresses (loopback by default). */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Kafka bootstrap broker (`npm run services -- start kafka`). */
export const KAFKA_BROKER = process.env.KAFKA_BROKER ?? '127.0.0.1:9092';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const MQTT_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
/** ElasticMQ, an SQS-compatible server (`npm run services -- start elasticmq`). */
export const SQS_ENDPOINT = process.env.SQS_ENDPOINT ?? 'http://127.0.0.1:9324';
/** ActiveMQ Artemis' AMQP 1.0 acceptor (`npm run services -- start artemis`). */
export const AMQP10_URL = process.env.AMQP10_URL ?? 'amqp://127.0.0.1:5673';

/** What the parent found before running anything: why a group of cells cannot run, if so. */
export const environment = {
  rabbitmq: undefined as string | undefined,
  redis: undefined as string | undefined,
  tributaryAmqp: undefined as string | undefined,
  tributaryRedis: undefined as string | undefined,
  kafka: undefined as string | undefined,
  nats: undefined as string | undefined,
  mqtt: undefined as string | undefined,
  sqs: undefined as string | undefined,
  amqp10: undefined as string | undefined,
  tributaryKafka: undefined as string | undefined,
  tributaryNats: undefined as string | undefined,
  tributaryMqtt: undefined as string | undefined,
  tributarySqs: undefined as string | undefined,
  tributaryAmqp10: undefined as string | undefined,
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
  environment.kafka = await portOpen(`kafka://${KAFKA_BROKER}`, 9092);
  environment.nats = await portOpen(NATS_URL, 4222);
  // run.ts may have started the benchmark's own Mosquitto after this module was loaded
  environment.mqtt = await portOpen(process.env.MQTT_URL ?? MQTT_URL, 1883);
  environment.sqs = await portOpen(SQS_ENDPOINT, 9324);
  environment.amqp10 = await portOpen(AMQP10_URL, 5673);
  environment.tributaryKafka = transportExport('@tributary/kafka');
  environment.tributaryNats = transportExport('@tributary/nats');
  environment.tributaryMqtt = transportExport('@tributary/mqtt');
  environment.tributarySqs = transportExport('@tributary/sqs');
  environment.tributaryAmqp10 = transportExport('@tributary/amqp10');
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
