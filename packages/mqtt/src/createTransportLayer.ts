import { deliveryConfig, Transport } from '@tributary/messaging/transport';
import type { TransportLayer } from '@tributary/messaging/transport';
import type { MqttStrategyOptions } from './MqttStrategyOptions';
import { MqttConnection } from './internal/MqttConnection';
import { MqttDeadLetters } from './internal/MqttDeadLetters';
import { defaultClientId, resolveMqttOptions } from './internal/resolveOptions';

/**
 * Creates the MQTT 5 transport layer (`Transport.MQTT`). `@tributary/messaging` calls it for
 * `Transport.MQTT`; call it yourself to hand a layer to tools or tests. `connect()` opens a
 * client (waiting up to `timeout` for the broker) and, for a service, subscribes its shared
 * subscriptions in a persistent session and makes sure its dead-letter session exists.
 *
 * @example
 * ```ts
 * import { createTransportLayer } from '@tributary/mqtt';
 * const layer = createTransportLayer({ host: 'mqtt://127.0.0.1:1883', channel: 'orders' });
 * const connection = await layer.connect({ isConsumer: false });
 * await connection.publishMessage('OrderPlaced', { data: Buffer.from('{"type":"OrderPlaced"}'), type: 'OrderPlaced' });
 * await connection.close();
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export const createTransportLayer = (options: MqttStrategyOptions): TransportLayer<Transport.MQTT> => {
  const resolved = resolveMqttOptions(options);
  return {
    type: Transport.MQTT,
    config: {
      host: resolved.host,
      channel: resolved.channel,
      wire: 'body',
      durable: resolved.qos === 1,
      system: 'mqtt',
      ...deliveryConfig(resolved),
    },
    connect: opts => {
      const isConsumer = opts?.isConsumer !== false;
      // `clientId` names the service instance; a client's session only bridges outages: its own id
      const clientId = isConsumer && resolved.clientId ? resolved.clientId : defaultClientId(resolved.channel);
      return new MqttConnection({ ...resolved, clientId }, isConsumer).start();
    },
    openDeadLetters: () => MqttDeadLetters.open(resolved),
  };
};

/**
 * The Marble.js-style name of {@link createTransportLayer}.
 *
 * @example
 * ```ts
 * import { createMqttStrategy } from '@tributary/mqtt';
 * const layer = createMqttStrategy({ channel: 'orders' });
 * layer.config.host; // 'mqtt://127.0.0.1:1883'
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export const createMqttStrategy = createTransportLayer;
