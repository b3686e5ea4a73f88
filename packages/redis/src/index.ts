// transport
export { createTransportLayer, createRedisStrategy } from './createTransportLayer';
export { DEFAULT_REDIS_OPTIONS } from './RedisStrategyOptions';
export type { RedisStrategyOptions, RedisMode, RedisDeadLetterOptions } from './RedisStrategyOptions';
export { RedisConnectionStatus } from './RedisConnectionStatus';

// dedupe
export { createRedisDedupeStore } from './createRedisDedupeStore';
export type { RedisDedupeStore, RedisDedupeStoreOptions } from './createRedisDedupeStore';
