import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { connect } from 'mqtt';
import type { IClientPublishOptions, IPublishPacket, MqttClient } from 'mqtt';

export const MQTT_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `check` until true, failing with `what` after `ms`. */
export const waitFor = async (check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await sleep(25);
  }
};

/** A channel name unique to one test (other agents share the broker). */
export const uniqueChannel = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

const open = (clientId: string, clean: boolean, sessionExpiry: number, onPublish?: (packet: IPublishPacket) => void, consume = false): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const client = connect(MQTT_URL, { clientId, clean, protocolVersion: 5, reconnectPeriod: 0, properties: { sessionExpiryInterval: sessionExpiry } });
    // no PUBACK for what the test only peeks at: it stays in the session
    client.handleMessage = (packet, callback) => {
      onPublish?.(packet);
      callback(packet.qos > 0 && !consume ? new Error('peek') : undefined);
    };
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });

/** Publishes raw bytes as a foreign producer would (QoS 1). */
export const injectRaw = async (topic: string, bytes: Buffer, options: IClientPublishOptions = {}): Promise<void> => {
  const client = await open(`raw-${randomUUID()}`, true, 0);
  try {
    await client.publishAsync(topic, bytes, { qos: 1, ...options });
  } finally {
    await client.endAsync();
  }
};

/** A dead letter as kept in the dead-letter session. */
export interface DeadLetter {
  reason: string;
  errorName?: string;
  errorMessage?: string;
  attempts: number;
  type?: string;
  headers: Record<string, string>;
  properties: Record<string, string>;
  body: Buffer;
}

/** The user properties the transport sets (the rest are the message's own headers). */
const TRIBUTARY_PROPERTIES = new Set([
  'x-message-id', 'x-type', 'x-causation-id', 'x-timestamp-ms', 'x-attempt', 'x-key', 'x-version',
  'x-error-name', 'x-error-message', 'x-attempts', 'x-dead-letter-reason', 'x-original-topic',
]);

const single = (value: string | string[]): string => (Array.isArray(value) ? value[value.length - 1] : value);

/**
 * The dead letters of `channel`, oldest first, read from its dead-letter session without
 * acknowledging them (they stay; Mosquitto sends 20 unacknowledged at most), or taken off it
 * with `consume` (acknowledged: gone from the session, however many).
 */
export const readDeadLetters = async (channel: string, quietMs = 300, consume = false): Promise<DeadLetter[]> => {
  const packets: IPublishPacket[] = [];
  const client = await open(`${channel}-dead-letter`, false, 0xffffffff, packet => packets.push(packet), consume);
  let seen = -1;
  while (seen !== packets.length) {
    seen = packets.length;
    await sleep(quietMs);
  }
  if (consume) await client.endAsync();
  else client.end(true);
  return packets.map(packet => {
    const properties = Object.fromEntries(Object.entries(packet.properties?.userProperties ?? {}).map(([k, v]) => [k, single(v)]));
    const headers = Object.fromEntries(Object.entries(properties).filter(([k]) => !TRIBUTARY_PROPERTIES.has(k)));
    return {
      reason: properties['x-dead-letter-reason'],
      errorName: properties['x-error-name'],
      errorMessage: properties['x-error-message'],
      attempts: Number(properties['x-attempts']),
      type: properties['x-type'],
      headers,
      properties,
      body: Buffer.from(packet.payload),
    };
  });
};

/** Ends MQTT sessions for good (clean start, expiry 0), whatever they hold. */
export const removeSessions = async (clientIds: readonly string[]): Promise<void> => {
  for (const clientId of clientIds) {
    const client = await open(clientId, true, 0).catch(() => undefined);
    await client?.endAsync();
  }
};

/** The sessions a test on `channel` may have made: given ids, the dead-letter one, and generated ids of this process. */
export const sessionsOf = (channel: string, extra: readonly string[] = []): string[] => [
  ...extra,
  `${channel}-dead-letter`,
  ...Array.from({ length: 6 }, (_, i) => `${channel}-${hostname()}-${process.pid}-${i + 1}`),
];
