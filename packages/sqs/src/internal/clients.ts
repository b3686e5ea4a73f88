import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import type { ResolvedSqsOptions } from './resolveOptions';

/** Shared settings of the SQS and SNS clients: endpoint, region, credentials, HTTP timeouts. */
export const clientConfig = (options: ResolvedSqsOptions, endpoint: string | undefined) => ({
  region: options.region,
  ...(endpoint ? { endpoint } : {}),
  ...(options.credentials ? { credentials: options.credentials } : {}),
  // a long poll waits up to waitTimeSeconds: the socket may stay silent that long
  requestHandler: { connectionTimeout: 3_000, requestTimeout: (options.waitTimeSeconds + 10) * 1_000 },
  // failures are retried (with status$ reporting) by Link
  maxAttempts: 1,
});

/** The SQS client: requests go to the configured endpoint, whatever host a queue URL names. */
export const createSqsClient = (options: ResolvedSqsOptions): SQSClient =>
  new SQSClient({ ...clientConfig(options, options.endpoint), useQueueUrlAsEndpoint: false } as SQSClientConfig);
