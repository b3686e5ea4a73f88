import type { IClientPublishOptions, IPublishPacket } from 'mqtt';
import type { TransportMessage } from '@tributary/messaging/transport';

/** User properties Tributary sets; never handed to effects as user headers. */
export const PROPERTY = {
  messageId: 'x-message-id',
  type: 'x-type',
  causationId: 'x-causation-id',
  timestampMs: 'x-timestamp-ms',
  attempt: 'x-attempt',
  key: 'x-key',
  version: 'x-version',
  errorName: 'x-error-name',
  errorMessage: 'x-error-message',
  attempts: 'x-attempts',
  reason: 'x-dead-letter-reason',
  originalTopic: 'x-original-topic',
} as const;

const INTERNAL = new Set<string>(Object.values(PROPERTY));

type UserProperties = Record<string, string | string[]>;

const toBuffer = (data: unknown): Buffer =>
  Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8');

/** The payload and MQTT 5 properties of a message (see docs/transports/mqtt.md, "Wire format"). */
export const toPublish = (message: TransportMessage, qos: 0 | 1, extra: Record<string, string> = {}): { payload: Buffer; options: IClientPublishOptions } => {
  const user: UserProperties = { ...message.headers };
  if (message.messageId !== undefined) user[PROPERTY.messageId] = message.messageId;
  if (message.type !== undefined) user[PROPERTY.type] = message.type;
  if (message.causationId !== undefined) user[PROPERTY.causationId] = message.causationId;
  if (message.timestamp !== undefined) user[PROPERTY.timestampMs] = String(message.timestamp);
  if (message.attempt !== undefined && message.attempt > 1) user[PROPERTY.attempt] = String(message.attempt);
  if (message.key !== undefined) user[PROPERTY.key] = message.key;
  if (message.version !== undefined) user[PROPERTY.version] = String(message.version);
  Object.assign(user, extra);
  const properties: NonNullable<IClientPublishOptions['properties']> = { contentType: 'application/json', userProperties: user };
  if (message.correlationId !== undefined) properties.correlationData = Buffer.from(message.correlationId, 'utf8');
  if (message.replyTo !== undefined) properties.responseTopic = message.replyTo;
  return { payload: toBuffer(message.data), options: { qos, properties } };
};

/** One value of a user property (MQTT allows a name more than once: the last wins). */
export const userProperty = (packet: IPublishPacket, name: string): string | undefined => {
  const value = packet.properties?.userProperties?.[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
};

const numberOf = (text: string | undefined): number | undefined => {
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The transport message of a PUBLISH. `attempt` is the `x-attempt` property (1 without) plus
 * one when the broker redelivers it (DUP flag: an earlier delivery was never acknowledged).
 */
export const fromPacket = (packet: IPublishPacket, raw: object | undefined): TransportMessage => {
  const data = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
  const message: TransportMessage = { data, raw, attempt: (numberOf(userProperty(packet, PROPERTY.attempt)) ?? 1) + (packet.dup ? 1 : 0) };
  const props = packet.properties;
  if (props?.correlationData !== undefined) message.correlationId = Buffer.from(props.correlationData).toString('utf8');
  if (props?.responseTopic !== undefined) message.replyTo = props.responseTopic;
  const id = userProperty(packet, PROPERTY.messageId);
  if (id !== undefined) message.messageId = id;
  const type = userProperty(packet, PROPERTY.type);
  if (type !== undefined) message.type = type;
  const causationId = userProperty(packet, PROPERTY.causationId);
  if (causationId !== undefined) message.causationId = causationId;
  const timestamp = numberOf(userProperty(packet, PROPERTY.timestampMs));
  if (timestamp !== undefined) message.timestamp = timestamp;
  const key = userProperty(packet, PROPERTY.key);
  if (key !== undefined) message.key = key;
  const version = numberOf(userProperty(packet, PROPERTY.version));
  if (version !== undefined) message.version = version;
  const headers = userHeaders(packet);
  if (headers) message.headers = headers;
  return message;
};

/** The user properties that are not Tributary's own, or undefined when there are none. */
export const userHeaders = (packet: IPublishPacket): Record<string, string> | undefined => {
  const user = packet.properties?.userProperties;
  if (!user) return undefined;
  let headers: Record<string, string> | undefined;
  for (const name of Object.keys(user)) {
    if (INTERNAL.has(name)) continue;
    const value = user[name];
    (headers ??= {})[name] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  return headers;
};
