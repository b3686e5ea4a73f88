import { matchTopic } from '@tributary/messaging/transport';

/** Whether a subscription has `*` or `#` words. */
export const isWildcard = (pattern: string): boolean => pattern.split('.').some(word => word === '*' || word === '#');

/** Escapes Redis glob characters. */
export const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * A Redis glob (`PSUBSCRIBE`) that matches at least every topic the word pattern matches:
 * the literal words up to the first wildcard, then `*`. Redis globs cannot say "one word",
 * so it over-matches (`payment.*` → `payment.*` also matches `payment.card.declined`) and
 * every message is checked again with `matchTopic`.
 */
export const globOf = (pattern: string): string => {
  const words = pattern.split('.');
  const first = words.findIndex(word => word === '*' || word === '#');
  const literal = words.slice(0, first).map(escapeGlob).join('.');
  // `a.#` also matches `a` itself: no dot before the star
  return literal === '' ? '*' : words[first] === '#' ? `${literal}*` : `${literal}.*`;
};

/**
 * Decides which one of a service's subscriptions takes a published message, so that a type
 * matched by several (`payment.*` and `payment.#`, or `OrderCreated` and `#`) arrives once:
 * the first subscription (in the order given) that matches the type.
 */
export const ownerOf = (subscriptions: readonly string[], type: string): string | undefined =>
  subscriptions.find(pattern => matchTopic(pattern, type));
