export { createTransportLayer } from './createTransportLayer';
export { DEFAULT_SQS_OPTIONS } from './SqsStrategyOptions';
export type { SqsStrategyOptions, SqsCredentials, SqsSnsOptions, SqsReconnectOptions } from './SqsStrategyOptions';
export { SqsQueueNotFoundError, SqsPublishNotConfiguredError } from './errors';
