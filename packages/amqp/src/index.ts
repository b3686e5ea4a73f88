export { createTransportLayer, createAmqpStrategy } from './createTransportLayer';
export { DEFAULT_AMQP_OPTIONS } from './AmqpStrategyOptions';
export type { AmqpStrategyOptions, AmqpQueueOptions, AmqpReconnectOptions, AmqpSocketOptions } from './AmqpStrategyOptions';
export { AmqpConnectionStatus } from './AmqpConnectionStatus';
export { AmqpUnroutableError, AmqpConnectionLostError, AmqpTopologyError } from './errors';
export { amqpTopology } from './amqpTopology';
export type { AmqpTopology } from './amqpTopology';
