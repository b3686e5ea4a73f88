import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_SCRIPT } from './helpers';

const run = promisify(execFile);

/** A Kafka broker of a test's own, which it may stop and start (never the shared one on 9092). */
export interface OwnKafka {
  /** `127.0.0.1:<its port>`, for `brokers`. */
  readonly brokers: string[];
  /** Stops it (SIGTERM to its own pid; scripts/services/kafka.sh stop). */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its folder. */
  remove(): Promise<void>;
  /** The pid of the running broker ('' when it is stopped): a restart changes it. */
  pid(): string;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Starts a one-node Kafka of this test's own with scripts/services/kafka.sh on two free ports
 * and a temp folder (the jars are the shared ones): a Kafka client reconnects to the advertised
 * listener it learnt at bootstrap, so a TCP proxy in front of the shared broker cannot cut it;
 * this broker can be stopped and started instead. ~4 s to start.
 */
export const startOwnKafka = async (): Promise<OwnKafka> => {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-kafka-'));
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), TRIBUTARY_KAFKA_DIR: dir };
  const script = (...args: string[]) => run('bash', [KAFKA_SCRIPT, ...args], { env, timeout: 120_000 }).then(() => undefined);
  const kafka: OwnKafka = {
    brokers: [`127.0.0.1:${port}`],
    start: () => script('start'),
    stop: () => script('stop'),
    remove: async () => {
      await script('stop').catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    pid: () => {
      try {
        return fs.readFileSync(path.join(dir, 'kafka.pid'), 'utf8').trim();
      } catch {
        return '';
      }
    },
  };
  try {
    await kafka.start();
  } catch (error) {
    await kafka.remove();
    throw error;
  }
  return kafka;
};
