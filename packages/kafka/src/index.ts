export { createTransportLayer } from './createTransportLayer';
export { DEFAULT_KAFKA_OPTIONS } from './KafkaStrategyOptions';
export type { KafkaStrategyOptions, KafkaStartFrom, KafkaSaslOptions } from './KafkaStrategyOptions';
export { eventTopic } from './eventTopic';
export { replay } from './replay';
export type { KafkaReplayOptions } from './replay';
