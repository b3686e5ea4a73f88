// transport SPI
export { Transport, TRANSPORT_PACKAGES } from './transport/Transport';
export { ConnectionStatus } from './transport/transport.interface';
export type {
  TransportLayer,
  TransportLayerConfig,
  TransportLayerConnection,
  TransportMessage,
  TransportMessageTransformer,
  TransportWire,
  DeadLetterInfo,
  DeadLetterReason,
} from './transport/transport.interface';
export { DEFAULT_RETRY_OPTIONS, retryDelay, reconnectDelay, resolveRetryOptions } from './transport/retry';
export type { RetryOptions } from './transport/retry';
export { DEFAULT_TIMEOUT } from './transport/transportOptions';
export type { DeliveryOptions } from './transport/transportOptions';
export { PendingReplies } from './transport/pendingReplies';
export { matchTopic } from './transport/matchTopic';
export { jsonTransformer } from './transport/jsonTransformer';
export { provideTransportLayer } from './transport/provideTransportLayer';
export type { TransportProvider } from './transport/provideTransportLayer';

// local transport
export { LocalBroker, defaultLocalBroker } from './local/LocalBroker';
export type { LocalDeadLetter } from './local/LocalBroker';
export { createLocalTransportLayer, EVENT_BUS_CHANNEL } from './local/createLocalTransportLayer';
export type { LocalStrategyOptions } from './local/createLocalTransportLayer';

// errors
export {
  TimeoutError,
  BrokerUnavailableError,
  UnhandledEventError,
  MalformedMessageError,
  TransportNotInstalledError,
  RemoteError,
  ConnectionClosedError,
} from './errors/errors';
