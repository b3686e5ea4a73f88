/**
 * Every Redis key and channel name the transport uses, in one place (see the "Keys" section
 * of docs/transports/redis.md). Logical names (a service channel, a reply address) are what
 * travels in messages; Redis names are those with `keyPrefix` in front.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** `prefix + name`. */
  prefixed(name: string): string;
  /** This service's pubsub channel or stream. */
  readonly channel: string;
  /** `<channel>:dead-letter` stream. */
  readonly deadLetter: string;
  /** streams: sorted set of retries waiting for their time (score: due ms). */
  readonly retryQueue: string;
  /** streams: hash holding the fields of waiting retries. */
  readonly retryData: string;
  /** streams: hash pattern → ms since epoch when this service first subscribed it. */
  readonly subscriptions: string;
  /**
   * streams: the key recording that message `id` was added to `stream` (a Redis key name),
   * for the idempotent producer. It extends the stream's name, so it shares the stream's
   * `{hash tag}` (Redis Cluster) when the stream key has one.
   */
  producedId(stream: string, id: string): string;
  /** The stream or channel `publish` writes events of `type` to. */
  topic(type: string): string;
  /** The event type of a topic key or channel, or undefined when it is none. */
  topicOf(name: string): string | undefined;
  /** streams: set of every type ever published (pattern subscribers discover streams there). */
  readonly topicIndex: string;
  /** streams: channel announcing a type published for the first time. */
  readonly topicAnnounce: string;
  /** A new logical reply address of a client of `channel`; one call's address is `<address>#<call id>`. */
  replyAddress(id: string): string;
  /** The Redis channel of a reply address (with or without a call id), or undefined when `name` is none (replies are always pub/sub). */
  replyChannelOf(name: string): string | undefined;
}

const TOPIC = 'topic:';
const REPLY = /^(.*:reply:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:#[^#]*)?$/;

export const createRedisKeys = (prefix: string, channel: string): RedisKeys => {
  const prefixed = (name: string): string => prefix + name;
  const topicPrefix = prefixed(TOPIC);
  return {
    prefix,
    prefixed,
    channel: prefixed(channel),
    deadLetter: prefixed(`${channel}:dead-letter`),
    retryQueue: prefixed(`${channel}:retry`),
    retryData: prefixed(`${channel}:retry:data`),
    subscriptions: prefixed(`${channel}:subscriptions`),
    producedId: (stream, id) => `${stream}:ids:${id}`,
    topic: type => topicPrefix + type,
    topicOf: name => (name.startsWith(topicPrefix) ? name.slice(topicPrefix.length) : undefined),
    topicIndex: prefixed('topic-index'),
    topicAnnounce: prefixed('topic-index:new'),
    replyAddress: id => `${channel}:reply:${id}`,
    replyChannelOf: name => {
      const match = REPLY.exec(name);
      return match ? prefixed(match[1]) : undefined;
    },
  };
};
