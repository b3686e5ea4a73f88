/**
 * The Kafka topic that `publish` uses for an event type: `event.<type>`, with every character
 * Kafka does not allow in a topic name (anything but letters, digits, `.`, `_`, `-`) replaced
 * by `_`.
 *
 * @example
 * ```ts
 * import { eventTopic } from '@tributary/kafka';
 * eventTopic('OrderPlaced'); // 'event.OrderPlaced'
 * eventTopic('payment.card/declined'); // 'event.payment.card_declined'
 * ```
 * @since 0.2.0
 * @category kafka
 */
export const eventTopic = (type: string): string => `event.${type.replace(/[^a-zA-Z0-9._-]/g, '_')}`.slice(0, 249);
