/**
 * Tells whether an event type matches a subscription pattern, with AMQP topic rules on
 * dot-separated words: `*` is exactly one word, `#` zero or more. A pattern without
 * wildcards matches itself only.
 *
 * @example
 * ```ts
 * import { matchTopic } from '@tributary/messaging';
 * matchTopic('OrderCreated', 'OrderCreated'); // true
 * matchTopic('payment.*', 'payment.captured'); // true
 * matchTopic('payment.#', 'payment.card.declined'); // true
 * matchTopic('#', 'anything.at.all'); // true
 * ```
 * @since 0.1.0
 * @category transport SPI
 */
export const matchTopic = (pattern: string, topic: string): boolean => {
  if (pattern === topic || pattern === '#') return true;
  if (!pattern.includes('*') && !pattern.includes('#')) return false;
  const p = pattern.split('.');
  const t = topic.split('.');
  const walk = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === '#') {
      for (let k = j; k <= t.length; k++) if (walk(i + 1, k)) return true;
      return false;
    }
    if (j === t.length) return false;
    return (p[i] === '*' || p[i] === t[j]) && walk(i + 1, j + 1);
  };
  return walk(0, 0);
};
