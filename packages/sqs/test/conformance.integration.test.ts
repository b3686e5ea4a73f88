import { Transport } from '@tributary/messaging';
import type { SqsStrategyOptions } from '@tributary/sqs';
import { describeTransportConformance } from '@tributary/testing/conformance';
import { FIFO_CAPABILITIES, FIFO_REASONS } from './helpers/fifoCapabilities';
import { adminClient, CREDENTIALS, deadLetterReader, deleteQueues, elasticMqFault, queueName, REGION, sendRaw, SQS_URL } from './helpers/elasticmq';

const admin = adminClient();
afterAll(() => admin.destroy());

/** ElasticMQ has no SNS: publish is proven against fauxqs (conformance.sns.integration.test.ts). */
const NO_SNS = 'ElasticMQ serves SQS only; publish goes through SNS, proven against an SNS server in conformance.sns.integration.test.ts';

for (const fifo of [false, true]) {
  const letters = deadLetterReader(admin, fifo);
  const options = (channel: string, extra: object, host = SQS_URL): SqsStrategyOptions => ({
    host,
    channel,
    region: REGION,
    credentials: CREDENTIALS,
    fifo,
    // short, so that a crashed or given-up message comes back soon; the heartbeat keeps slow ones
    visibilityTimeout: 2,
    waitTimeSeconds: 1,
    ...extra,
  });

  describeTransportConformance(fifo ? 'SQS (FIFO queues, ElasticMQ)' : 'SQS (standard queues, ElasticMQ)', {
    transport: Transport.SQS,
    serviceOptions: (channel, extra) => ({ ...options(channel, extra) }),
    capabilities: { publish: false, ...(fifo ? FIFO_CAPABILITIES : {}) },
    reasons: { publish: NO_SNS, ...(fifo ? FIFO_REASONS : {}) },
    injectRaw: (channel, bytes) => sendRaw(admin, queueName(channel, fifo), bytes),
    readDeadLetters: channel => letters.read(channel),
    fault: elasticMqFault,
    cleanup: async channels => {
      for (const channel of channels) {
        await deleteQueues(admin, channel, fifo);
        letters.forget(channel);
      }
    },
    timeoutMs: 30_000,
  });
}
