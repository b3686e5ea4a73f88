export { createTransportLayer } from './createTransportLayer';
export { DEFAULT_AMQP10_OPTIONS } from './Amqp10StrategyOptions';
export type { Amqp10StrategyOptions, Amqp10ReconnectOptions } from './Amqp10StrategyOptions';
export { Amqp10ConnectionLostError, Amqp10SendError } from './errors';
