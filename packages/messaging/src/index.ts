// transports (the SPI for transport authors is `@tributary/messaging/transport`)
export { Transport } from './transport/Transport';
export { ConnectionStatus } from './transport/transport.interface';
// types that application-facing types refer to (ctx.client is a connection)
export type { TransportMessageTransformer, DeadLetterInfo, DeadLetterReason, TransportLayerConnection, TransportMessage } from './transport/transport.interface';
export { DEFAULT_RETRY_OPTIONS } from './transport/retry';
export type { RetryOptions } from './transport/retry';
export { DEFAULT_TIMEOUT } from './transport/transportOptions';
export type { DeliveryOptions } from './transport/transportOptions';
export { jsonTransformer } from './transport/jsonTransformer';
export type { TransportProvider } from './transport/provideTransportLayer';

// transport options, type-checked per transport
export type { TransportOptionsMap, TransportOptions } from './transport/TransportOptionsMap';
export type { AmqpStrategyOptions, AmqpQueueOptions, AmqpReconnectOptions, AmqpSocketOptions } from './options/AmqpStrategyOptions';
export type { RedisStrategyOptions, RedisMode, RedisDeadLetterOptions } from './options/RedisStrategyOptions';
export type { SqsStrategyOptions, SqsCredentials, SqsSnsOptions, SqsReconnectOptions } from './options/SqsStrategyOptions';
export type { NatsStrategyOptions, NatsTlsOptions } from './options/NatsStrategyOptions';
export type { KafkaStrategyOptions, KafkaStartFrom, KafkaSaslOptions } from './options/KafkaStrategyOptions';
export type { MqttStrategyOptions, MqttDeadLetterOptions, MqttReconnectOptions } from './options/MqttStrategyOptions';
export type { Amqp10StrategyOptions, Amqp10ReconnectOptions } from './options/Amqp10StrategyOptions';

// local transport
export { LocalBroker, defaultLocalBroker } from './local/LocalBroker';
export type { LocalDeadLetter, LocalMessageHandler } from './local/LocalBroker';
export { EVENT_BUS_CHANNEL } from './local/createLocalTransportLayer';
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
  MaxAttemptsExceededError,
  NoConsumerError,
  MessageTooLargeError,
} from './errors/errors';
export { BrokerTlsError } from './errors/BrokerTlsError';
export { BrokerAuthError } from './errors/BrokerAuthError';

// effects
export type { MsgEffect, MsgMiddlewareEffect, MsgErrorEffect, MsgOutputEffect, MsgServerEffect } from './effects/messaging.effects.interface';

// microservice
export { messagingListener } from './server/messagingListener';
export type { MessagingListener, MessagingListenerConfig } from './server/messagingListener';
export { createMicroservice } from './server/createMicroservice';
export type { CreateMicroserviceConfig, Microservice } from './server/createMicroservice';
export { DEFAULT_DRAIN_TIMEOUT } from './server/microservice.interface';
export { asListenerDelivery } from './server/microservice.interface';
export type { CloseOptions, MicroserviceConnection, ListenerConnection, ListenerDelivery, ListenerHandle, SettledOutcome, ManualOutcome } from './server/microservice.interface';
export type { HealthReport, HealthStatus } from './health/HealthReport';
export { withTraceIds } from './telemetry/withTraceIds';
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

// dead letters: list and redrive
export { redriveDeadLetters } from './redrive/redriveDeadLetters';
export type { RedriveOptions, RedriveResult, RedriveProgress, DeadLetterFilter } from './redrive/redriveDeadLetters';
export { RedriveNotSupportedError, RedriveFailedError, DeadLetterDestinationNotFoundError } from './redrive/errors';
export type { DeadLetter } from './transport/DeadLetterStore';

// idempotency
export { dedupe } from './middlewares/dedupe';
export type { DedupeOptions } from './middlewares/dedupe';
export { createMemoryDedupeStore } from './middlewares/DedupeStore';
export type { DedupeStore, MemoryDedupeStoreOptions } from './middlewares/DedupeStore';
