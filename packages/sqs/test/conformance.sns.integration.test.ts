import { randomBytes } from 'node:crypto';
import { Transport } from '@tributary/messaging';
import type { SqsStrategyOptions } from '@tributary/sqs';
import { createTcpProxy, describeTransportConformance } from '@tributary/testing/conformance';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { adminClient, CREDENTIALS, deadLetterReader, deleteQueues, queueName, sendRaw } from './helpers/elasticmq';
import { startFauxqs } from './helpers/fauxqs';
import type { Fauxqs } from './helpers/fauxqs';

// SQS with SNS fan-out for `publish`, against fauxqs (an SNS + SQS server from npm, started
// here on a loopback port): the whole contract, publish included.
let server: Fauxqs;
let admin: SQSClient;
let letters: ReturnType<typeof deadLetterReader>;
// one topic per run: other runs on the same server never see these publications
const topic = `conformance-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  server = await startFauxqs();
  admin = adminClient(server.endpoint, 'us-east-1');
  letters = deadLetterReader(admin, false);
}, 30_000);
afterAll(async () => {
  admin?.destroy();
  await server?.stop();
});

const options = (channel: string, extra: object, host = server.endpoint): SqsStrategyOptions => ({
  host,
  channel,
  region: 'us-east-1',
  credentials: CREDENTIALS,
  sns: { host: server.endpoint, topic },
  visibilityTimeout: 2,
  waitTimeSeconds: 1,
  ...extra,
});

describeTransportConformance('SQS + SNS (standard queues, fauxqs)', {
  transport: Transport.SQS,
  serviceOptions: (channel, extra) => ({ ...options(channel, extra) }),
  injectRaw: (channel, bytes) => sendRaw(admin, queueName(channel, false), bytes),
  readDeadLetters: channel => letters.read(channel),
  fault: async () => {
    const url = new URL(server.endpoint);
    const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port) });
    url.port = String(proxy.port);
    return { options: { host: url.toString().replace(/\/$/, '') }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
  },
  cleanup: async channels => {
    for (const channel of channels) {
      await deleteQueues(admin, channel, false);
      letters.forget(channel);
    }
  },
  timeoutMs: 30_000,
});
