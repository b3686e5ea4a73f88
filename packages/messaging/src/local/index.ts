/**
 * `@tributary/messaging/local`: the in-process transport, found by `Transport.LOCAL` like any
 * other transport package (`createTransportLayer`). Applications use it through
 * `Transport.LOCAL` and `LocalBroker` from `@tributary/messaging`.
 * @packageDocumentation
 */
export { createLocalTransportLayer as createTransportLayer, createLocalTransportLayer, EVENT_BUS_CHANNEL } from './createLocalTransportLayer';
export type { LocalStrategyOptions } from './createLocalTransportLayer';
export { LocalBroker, defaultLocalBroker } from './LocalBroker';
export type { LocalDeadLetter, LocalMessageHandler } from './LocalBroker';
