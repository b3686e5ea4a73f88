export { createTransportLayer, createMqttStrategy } from './createTransportLayer';
export { DEFAULT_MQTT_OPTIONS } from './MqttStrategyOptions';
export type { MqttStrategyOptions, MqttDeadLetterOptions, MqttReconnectOptions } from './MqttStrategyOptions';
export { mqttTopics } from './mqttTopics';
export type { MqttTopics } from './mqttTopics';
export { MqttNoSubscribersError, MqttSessionTakenOverError } from './errors';
export { retireMqttSession } from './retireMqttSession';
