// events
export type { Event, EventMetadata, EventType, EventWithPayload, EventWithoutPayload, ValidatedEvent, EventsUnion } from './event/event.interface';
export { event, isEventCodec, EVENT_CODEC_NAME } from './event/event';
export type { EventCodec } from './event/event';
export type { EventOptions, Upcaster } from './event/eventOptions';
export { createEvent } from './event/createEvent';
export type { EventCreator } from './event/createEvent';
export { DELIVERY_TRACKER } from './event/deliveryTracker';
export { getDeliveryTracker } from './event/getDeliveryTracker';
export type { DeliveryTracker } from './event/deliveryTracker';

// operators
export { matchEvent } from './operators/matchEvent';
export type { EventMatcher, MatchedEvent, WholeEventCodec } from './operators/matchEvent';
export { act, UNHANDLED_ERROR_SUFFIX } from './operators/act';
export type { ActResult, ActContext } from './operators/act';
export { use } from './operators/use';

// effects
export type { Effect, EffectContext, EffectLike, EffectMiddlewareLike } from './effects/effect.interface';
export { combineEffects } from './effects/combineEffects';
export { combineMiddlewares } from './effects/combineMiddlewares';
export { createEffectContext } from './effects/createEffectContext';
export { resubscribeOnError, MAX_EFFECT_RESTARTS } from './effects/resubscribeOnError';

// validation
export { eventValidator$ } from './validation/eventValidator';
export type { EventValidator, ValidatedBy, ValidationIssue } from './validation/eventValidator';

// context
export { createContextToken } from './context/contextToken';
export type { ContextToken } from './context/contextToken';
export { createContext, register, registerAll, unregister, lookup, resolve, reader, DerivedContextToken } from './context/context';
export type { Context, ContextProvider, ContextReader, BoundDependency } from './context/context';
export { bindTo, bindLazilyTo, bindEagerlyTo } from './context/bind';
export type { ReaderOrValue } from './context/bind';
export type { ContextEntry, EntryState } from './internal/contextEntry';
export { createReader } from './context/createReader';
export type { ReaderHandler } from './context/createReader';
export { useContext } from './context/useContext';
export { useContextAsync } from './context/useContextAsync';
export { contextFactory, constructContext } from './context/contextFactory';

// listener
export { createListener } from './listener/createListener';
export { runEffects } from './listener/runEffects';
export type { RunEffectsConfig, RunningEffects } from './listener/runEffects';
export type { Listener, ListenerConfig, ListenerHandler, ServerIO, ServerConfig } from './listener/listener.interface';

// logger
export { LoggerLevel, LoggerTag } from './logger/logger.interface';
export type { Logger, LoggerOptions } from './logger/logger.interface';
export { createLogger, DEFAULT_LOGGER_CONFIG } from './logger/createLogger';
export type { LoggerConfig } from './logger/createLogger';
export { LoggerToken } from './logger/LoggerToken';

// errors
export { CoreError, isCoreError } from './error/CoreError';
export { EventError, isEventError } from './error/EventError';
export { UnsupportedVersionError, isUnsupportedVersionError } from './error/UnsupportedVersionError';
export { ContextError } from './error/ContextError';
export { coreErrorFactory } from './error/coreErrorFactory';
export type { CoreErrorOptions } from './error/coreErrorFactory';
export { encodeError } from './error/encodeError';
export type { EncodedError } from './error/encodeError';
