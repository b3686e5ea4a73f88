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
export type { LocalDeadLetter, LocalMessageHandler } from './local/LocalBroker';
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

// effects
export type { MsgEffect, MsgMiddlewareEffect, MsgErrorEffect, MsgOutputEffect, MsgServerEffect } from './effects/messaging.effects.interface';

// microservice
export { messagingListener } from './server/messagingListener';
export type { MessagingListener, MessagingListenerConfig } from './server/messagingListener';
export { createMicroservice } from './server/createMicroservice';
export type { CreateMicroserviceConfig, Microservice } from './server/createMicroservice';
export { DEFAULT_DRAIN_TIMEOUT } from './server/microservice.interface';
export type { CloseOptions, MicroserviceConnection, ListenerConnection, ListenerDelivery, ListenerHandle } from './server/microservice.interface';
export { ServerEvent, ServerEventType, isStatusEvent, isCloseEvent, isErrorEvent } from './server/serverEvents';
export type { AllServerEvents } from './server/serverEvents';
export { TransportLayerToken, ServerEventsToken } from './server/tokens';

// client
export { MessagingClient } from './client/MessagingClient';
export type { MessagingClientConfig } from './client/MessagingClient';

// event bus
export { EventBus, EventBusToken } from './eventbus/EventBus';
export type { EventBusConfig } from './eventbus/EventBus';
export { EventBusClient, EventBusClientToken } from './eventbus/EventBusClient';

// replies and manual settlement
export { reply, MissingEventTypeError } from './reply/reply';
export { ackEvent, nackEvent, nackAndResendEvent } from './ack/ack';

// idempotency
export { dedupe } from './middlewares/dedupe';
export type { DedupeOptions } from './middlewares/dedupe';
export { createMemoryDedupeStore } from './middlewares/DedupeStore';
export type { DedupeStore, MemoryDedupeStoreOptions } from './middlewares/DedupeStore';

// first-party transport options (types only)
export type { KafkaStrategyOptions, KafkaStartFrom, KafkaSaslOptions } from './options/KafkaStrategyOptions';
