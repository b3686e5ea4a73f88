/**
 * The chaos run of SQS on ElasticMQ (issue 19): emits while the connection is cut (a loopback TCP
 * proxy in front of ElasticMQ's HTTP port: restarting ElasticMQ would empty its in-memory queues,
 * and it is shared), the consumer SIGKILLed (what it held comes back after the visibility
 * timeout), a poison and a malformed message injected; no resolved emit may be lost.
 * `npm run chaos` runs it at full size (CHAOS_EMITS=5000), `npm test` at 500.
 */
import { Transport } from '@tributary/messaging';
import { chaosFindings, formatChaosTable, runChaos } from '@tributary/testing/conformance';
import type { TransportConformanceSetup } from '@tributary/testing/conformance';
import { adminClient, CREDENTIALS, deadLetterReader, deleteQueues, elasticMqFault, queueName, REGION, sendRaw, SQS_URL } from './helpers/elasticmq';

const admin = adminClient();
afterAll(() => admin.destroy());
const letters = deadLetterReader(admin, false);
const emits = Number(process.env.CHAOS_EMITS ?? 500);

const setup: TransportConformanceSetup = {
  transport: Transport.SQS,
  // a short visibility timeout: what the SIGKILLed consumer held is back on the queue in 2 s
  serviceOptions: (channel, extra) => ({ host: SQS_URL, channel, region: REGION, credentials: CREDENTIALS, visibilityTimeout: 2, waitTimeSeconds: 1, ...extra }),
  injectRaw: (channel, bytes) => sendRaw(admin, queueName(channel, false), bytes),
  readDeadLetters: channel => letters.read(channel),
  fault: elasticMqFault,
  cleanup: async channels => {
    for (const channel of channels) await deleteQueues(admin, channel, false);
  },
};

test(`chaos: ${emits} emits through a cut, a consumer SIGKILL, a poison and a malformed message lose nothing`, async () => {
  const started = Date.now();
  const report = await runChaos('SQS (ElasticMQ)', setup, { emits });
  process.stdout.write(`\n${formatChaosTable([report])}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  expect(report.lost).toBe(0);
  expect(report.processed).toBeGreaterThanOrEqual(report.resolved);
  expect(chaosFindings(report)).toEqual([]);
}, 180_000);
