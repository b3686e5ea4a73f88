import { CoreError } from '@tributary/core';

/**
 * The broker took a message for a topic nobody subscribes to (PUBACK reason "No matching
 * subscribers") and dropped it: MQTT keeps messages only in the sessions of subscribers. Start
 * the target service once, so that its persistent session subscribes to its topic and keeps
 * messages while it is offline, or fix the channel name.
 *
 * @example
 * ```ts
 * import { MqttNoSubscribersError } from '@tributary/mqtt';
 * new MqttNoSubscribersError('orderz').message; // 'No MQTT session subscribes to "orderz": ...'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class MqttNoSubscribersError extends CoreError {
  override readonly name = 'MqttNoSubscribersError';
  constructor(readonly topic: string) {
    super(
      `No MQTT session subscribes to "${topic}": the broker dropped the message. ` +
        'Start the service consuming it once (its persistent session then keeps messages while it is offline), or fix the channel name.',
      { context: 'mqtt.publish' },
    );
  }
}

/**
 * The broker closed this connection because another one connected with the same client id
 * (MQTT 5 DISCONNECT reason "Session taken over", where the broker sends it: Mosquitto 2.0.11
 * just closes the connection). Two running instances must never share a `clientId`:
 * give each its own, stable across its restarts.
 *
 * @example
 * ```ts
 * import { MqttSessionTakenOverError } from '@tributary/mqtt';
 * new MqttSessionTakenOverError('payments-1').name; // 'MqttSessionTakenOverError'
 * ```
 * @since 0.2.0
 * @category errors
 */
export class MqttSessionTakenOverError extends CoreError {
  override readonly name = 'MqttSessionTakenOverError';
  constructor(readonly clientId: string) {
    super(
      `Another connection took over the MQTT session "${clientId}". Two running instances use the same \`clientId\`: ` +
        'give each instance its own (stable across its restarts), e.g. from its host or pod name.',
      { context: 'mqtt.connection' },
    );
  }
}
