export { createTransportLayer, createNatsStrategy } from './createTransportLayer';
export { DEFAULT_NATS_OPTIONS } from './NatsStrategyOptions';
export type { NatsStrategyOptions, NatsTlsOptions } from '@tributary/messaging';
export { NatsNoRespondersError, NatsTopologyError } from './errors';
