import { CoreError } from '@tributary/core';

/**
 * The MQTT topics of one service (see docs/transports/mqtt.md, "Topics").
 *
 * @example
 * ```ts
 * import { mqttTopics } from '@tributary/mqtt';
 * import type { MqttTopics } from '@tributary/mqtt';
 * const topics: MqttTopics = mqttTopics('orders');
 * topics.deadLetter; // 'orders/dead-letter'
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export interface MqttTopics {
  /** `<channel>`: where `emit` and `send` put messages for the service. */
  readonly service: string;
  /** `$share/<channel>/<channel>`: the shared subscription its instances compete on. */
  readonly serviceFilter: string;
  /** `<channel>/dead-letter`. */
  readonly deadLetter: string;
  /** `event/<type with dots as slashes>`: where `publish` puts an event of `type`. */
  event(type: string): string;
  /** The shared subscription of a `subscribe` pattern: `payment.*` → `$share/<channel>/event/payment/+`. */
  filter(pattern: string): string;
}

const EVENT_ROOT = 'event';

const invalidPattern = (pattern: string, why: string): CoreError =>
  new CoreError(`@tributary/mqtt: the subscribe pattern ${JSON.stringify(pattern)} cannot be an MQTT topic filter: ${why}.`, { context: 'mqtt.options' });

/**
 * The topics of the service `channel`: its own topic and shared subscription, its dead-letter
 * topic, and the `publish` tree (`event/...`) with `subscribe` patterns translated to MQTT
 * wildcards (`*` → `+`, a final `#` → `#`).
 *
 * @example
 * ```ts
 * import { mqttTopics } from '@tributary/mqtt';
 * const topics = mqttTopics('payments');
 * topics.serviceFilter; // '$share/payments/payments'
 * topics.event('payment.captured'); // 'event/payment/captured'
 * topics.filter('payment.*'); // '$share/payments/event/payment/+'
 * ```
 * @since 0.2.0
 * @category mqtt
 */
export const mqttTopics = (channel: string): MqttTopics => ({
  service: channel,
  serviceFilter: `$share/${channel}/${channel}`,
  deadLetter: `${channel}/dead-letter`,
  event: (type: string): string => {
    if (/[+#]/.test(type) || type === '') {
      throw new CoreError(`@tributary/mqtt: cannot publish the event type ${JSON.stringify(type)}: MQTT topic names cannot be empty or hold '+' or '#'.`, {
        context: 'mqtt.publish',
      });
    }
    return `${EVENT_ROOT}/${type.split('.').join('/')}`;
  },
  filter: (pattern: string): string => {
    const words = pattern.split('.');
    const levels = words.map((word, i) => {
      if (word === '*') return '+';
      if (word === '#') {
        if (i !== words.length - 1) throw invalidPattern(pattern, "MQTT allows '#' only as the last word");
        return '#';
      }
      if (/[+#/]/.test(word)) throw invalidPattern(pattern, "a word holds '+', '#' or '/'");
      return word;
    });
    return `$share/${channel}/${EVENT_ROOT}/${levels.join('/')}`;
  },
});
