/**
 * Every Redis key and channel name the transport uses, in one place (see the "Keys" section
 * of docs/transports/redis.md). Logical names (a service channel, a reply address) are what
 * travels in messages; Redis names are those with `keyPrefix` in front.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** `prefix + name`. */
  prefixed(name: string): string;
  /** The stream or pubsub channel of the service `channel` (a target of emit and send). */
  stream(channel: string): string;
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
  /**
   * Whether a pub/sub channel is sharded (`SPUBLISH`/`SSUBSCRIBE`): on a cluster, service and
   * reply channels are, so that one channel's messages go through one node, in order; topic
   * channels are not (pattern subscriptions cannot be sharded).
   */
  sharded(channel: string): boolean;
  /** The Redis channel of a reply address (with or without a call id), or undefined when `name` is none (replies are always pub/sub). */
  replyChannelOf(name: string): string | undefined;
}

const TOPIC = 'topic:';
const REPLY = /^(.*:reply:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:#[^#]*)?$/;

/**
 * On Redis Cluster (`cluster: true`) a service's names carry its channel as hash tag,
 * `<prefix>{<channel>}...`, so that its stream and the keys settled with it in one `MULTI` or
 * script (retries, dead letters, subscriptions) share one slot. On a single server the names
 * stay as they always were (a tag would rename existing users' streams).
 */
export const createRedisKeys = (prefix: string, channel: string, cluster = false): RedisKeys => {
  const prefixed = (name: string): string => prefix + name;
  const stream = (name: string): string => (cluster ? prefixed(`{${name}}`) : prefixed(name));
  const own = stream(channel);
  const topicPrefix = prefixed(TOPIC);
  return {
    prefix,
    prefixed,
    stream,
    channel: own,
    deadLetter: `${own}:dead-letter`,
    retryQueue: `${own}:retry`,
    retryData: `${own}:retry:data`,
    subscriptions: `${own}:subscriptions`,
    // a suffix of the stream's name: on a cluster it shares the stream's hash tag, so its slot
    producedId: (streamKey, id) => `${streamKey}:ids:${id}`,
    topic: type => topicPrefix + type,
    topicOf: name => (name.startsWith(topicPrefix) ? name.slice(topicPrefix.length) : undefined),
    sharded: name => cluster && !name.startsWith(topicPrefix) && name !== prefixed('topic-index:new'),
    topicIndex: prefixed('topic-index'),
    topicAnnounce: prefixed('topic-index:new'),
    replyAddress: id => `${channel}:reply:${id}`,
    replyChannelOf: name => {
      // every emit asks: a service channel (no ":reply:") skips the backtracking regex
      if (!name.includes(':reply:')) return undefined;
      const match = REPLY.exec(name);
      return match ? prefixed(match[1]) : undefined;
    },
  };
};

/** The part of a key Redis Cluster hashes: the first non-empty `{...}`, or the whole key. */
const hashed = (key: string): string => {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
};

/** Whether Redis Cluster certainly puts `keys` in one slot (same hashed part), so one `MULTI` may hold them. */
export const sameSlot = (...keys: readonly string[]): boolean => keys.every(key => hashed(key) === hashed(keys[0]));
