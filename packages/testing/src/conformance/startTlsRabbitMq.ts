import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestCertificates } from './createTestCertificates';
import { freePort, startOwnServer } from './internal/ownServer';

/** A RabbitMQ node of a test's own, listening with TLS only. */
export interface TlsRabbitMq {
  readonly port: number;
  readonly user: string;
  /** Stops the node (SIGTERM to the process group it was started in) and removes its folders. */
  stop(): Promise<void>;
}

const RABBITMQ_SERVER = process.env.RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server';

/**
 * Starts an extra RabbitMQ node (never the machine's `rabbit@localhost`): its own node name,
 * AMQPS port on 127.0.0.1, distribution port, config, data, log and plugins files and `HOME`
 * (Erlang cookie), all in a folder under the certificates' temp folder; no plain listener.
 * Takes some seconds; `stop()` ends it.
 *
 * @example
 * ```ts
 * import { createTestCertificates, startTlsRabbitMq } from '@tributary/testing/conformance';
 *
 * const certs = createTestCertificates();
 * const rabbit = await startTlsRabbitMq(certs, 'a-password');
 * // connect to `amqps://${rabbit.user}:a-password@127.0.0.1:${rabbit.port}` with { socketOptions: { ca: [certs.ca] } }
 * await rabbit.stop();
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const startTlsRabbitMq = async (certs: TestCertificates, password: string, user = 'tributary-tls'): Promise<TlsRabbitMq> => {
  const [port, distPort, nodePort] = [await freePort(), await freePort(), await freePort()];
  const dir = path.join(certs.dir, `rabbitmq-${port}`);
  for (const sub of ['mnesia', 'log', 'home']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const config = path.join(dir, 'rabbitmq.conf');
  fs.writeFileSync(
    config,
    [
      'listeners.tcp = none',
      `listeners.ssl.default = 127.0.0.1:${port}`,
      `ssl_options.cacertfile = ${certs.files.ca}`,
      `ssl_options.certfile = ${certs.files.serverCert}`,
      `ssl_options.keyfile = ${certs.files.serverKey}`,
      'ssl_options.verify = verify_peer',
      'ssl_options.fail_if_no_peer_cert = false',
      'loopback_users = none',
      `default_user = ${user}`,
      `default_pass = ${password}`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'enabled_plugins'), '[].\n');
  const stop = await startOwnServer({
    command: RABBITMQ_SERVER,
    env: {
      ...process.env,
      RABBITMQ_NODENAME: `tributary-tls-${port}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(nodePort),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_CONFIG_FILE: config,
      RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
      HOME: path.join(dir, 'home'),
    },
    dir,
    port,
    timeout: 60_000,
    processGroup: true, // rabbitmq-server is a script: beam runs beside it, in its group
  });
  return { port, user, stop };
};
