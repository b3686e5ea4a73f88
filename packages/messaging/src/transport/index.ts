/**
 * `@tributary/messaging/transport`: the transport SPI, for transport authors. Applications
 * import from `@tributary/messaging`.
 * @packageDocumentation
 */
export { Transport, TRANSPORT_PACKAGES } from './Transport';
export { ConnectionStatus } from './transport.interface';
export type {
  TransportLayer,
  TransportLayerConfig,
  TransportLayerConnection,
  TransportMessage,
  TransportMessageTransformer,
  TransportWire,
  DeadLetterInfo,
  DeadLetterReason,
  SendOptions,
} from './transport.interface';
export { DEAD_LETTER_HEADERS, withoutDeadLetterHeaders } from './DeadLetterStore';
export { DeadLetterDestinationNotFoundError } from '../redrive/errors';
export type { DeadLetter, DeadLetterStore } from './DeadLetterStore';
export { DEFAULT_RETRY_OPTIONS, retryDelay, reconnectDelay, resolveRetryOptions } from './retry';
export type { RetryOptions } from './retry';
export { DEFAULT_TIMEOUT } from './transportOptions';
export type { DeliveryOptions } from './transportOptions';
export { resolveDeliveryOptions, deliveryConfig, DEFAULT_CONCURRENCY, DEFAULT_MAX_MESSAGE_SIZE } from './resolveDeliveryOptions';
export type { ResolvedDeliveryOptions } from './resolveDeliveryOptions';
export { PendingReplies } from './pendingReplies';
export { InFlightMessages } from './InFlightMessages';
export { matchTopic } from './matchTopic';
export { jsonTransformer } from './jsonTransformer';
export { provideTransportLayer } from './provideTransportLayer';
export type { TransportProvider } from './provideTransportLayer';
export { createLocalTransportLayer } from '../local/createLocalTransportLayer';
export type { TransportOptionsMap, TransportOptions } from './TransportOptionsMap';
export { TimeoutError, BrokerUnavailableError, MalformedMessageError, ConnectionClosedError, MessageTooLargeError } from '../errors/errors';
export { BrokerTlsError, tlsFailure } from '../errors/BrokerTlsError';
export { BrokerAuthError } from '../errors/BrokerAuthError';
