import { randomUUID } from 'node:crypto';
import type * as Net from 'node:net';
import { connect } from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { Transport } from '@tributary/messaging';
import type * as NestMicroservices from '@nestjs/microservices' with { 'resolution-mode': 'import' };
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import { environment, MQTT_URL } from '../harness/environment';
import type { SystemSpec } from '../harness/types';
import { SEND_TIMEOUT } from './effects';
import { tributaryService } from './messagingSystems';
import { moleculerService } from './moleculer';
import { tributaryEnvelope } from './tributaryEnvelope';
import { nestService } from './nest';
import { tributaryTransportLayer } from './transportLayerOnly';
import type { TributaryStarter } from './messagingSystems';

/** Why Marble.js is absent from the MQTT rows. */
export const MARBLE_ABSENT = 'Marble.js 4.1 has no NATS/MQTT transport';

/** TCP_NODELAY on an mqtt.js client's socket (as Tributary's; without it every hop waits ~40 ms on a delayed ACK). */
const noDelay = (client: MqttClient): void => void (client.stream as Partial<Net.Socket>).setNoDelay?.(true);

/**
 * NestJS and Moleculer create their mqtt.js clients themselves and have no option for
 * TCP_NODELAY: this sets it on every TCP connection the cell's process opens from now on (as
 * the AMQP cells set `noDelay` for them through their socket options). mqtt.js calls
 * `net.createConnection` through the module object, so the wrapper is seen.
 */
const noDelayEverywhere = (): void => {
  // the module object itself (an `import * as` namespace is a read-only copy)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mutableNet = require('node:net') as { createConnection: typeof Net.createConnection };
  const original = mutableNet.createConnection;
  if ((original as { noDelay?: boolean }).noDelay) return;
  const wrapped = ((...args: Parameters<typeof Net.createConnection>) => original(...args).setNoDelay(true)) as typeof Net.createConnection;
  (wrapped as { noDelay?: boolean }).noDelay = true;
  mutableNet.createConnection = wrapped;
};

/** An MQTT 5 client, connected. */
const open = async (options: IClientOptions): Promise<MqttClient> => {
  const client = connect(MQTT_URL, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 10_000, ...options });
  noDelay(client);
  client.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
};

/**
 * Ends the persistent sessions a cell left on the broker: a clean start drops what the
 * session held, and a DISCONNECT with the default expiry (0) removes it.
 */
export const endSessions = async (clientIds: readonly string[]): Promise<void> => {
  for (const clientId of clientIds) {
    const client = await open({ clientId, clean: true }).catch(() => undefined);
    await client?.endAsync(false).catch(() => undefined);
  }
};

/**
 * Tributary on `Transport.MQTT`, default options (QoS 1, a persistent session of an hour,
 * receive maximum 32, the shared subscription `$share/<channel>/<channel>`, the PUBACK held
 * until the effects finished, `emit` resolving on the broker's PUBACK and failing when no
 * subscriber took it; `send` with an MQTT 5 response topic and correlation data, at QoS 1).
 * The service gets a client id (`<tag>-service`) so that the cell can end its session after;
 * the dead-letter session Tributary keeps for the channel (`<tag>-dead-letter`) is ended too.
 * At-least-once for events while the session lives. A request's PUBACK waits until the broker
 * acknowledged the reply (a reply lost on a dropped connection brings the request back), so
 * each of the 32 slots of the receive maximum is held a broker round trip longer than raw's.
 */
const onMqtt =
  (start: TributaryStarter) =>
  (tag: string): Promise<BenchSystem> =>
    start(Transport.MQTT, { host: MQTT_URL, channel: tag, clientId: `${tag}-service`, timeout: SEND_TIMEOUT }, () =>
      endSessions([`${tag}-service`, `${tag}-dead-letter`]),
    );
export const tributaryMqtt = onMqtt(tributaryService);

/** Tributary's MQTT transport layer alone (see `tributaryTransportLayer`). */
export const mqttLayer = onMqtt(tributaryTransportLayer);

/**
 * mqtt.js 5 by hand, with the same guarantees as Tributary: MQTT 5, QoS 1 both ways, the
 * service in a persistent session (an hour, receive maximum 32) on the shared subscription
 * `$share/<tag>/<tag>`, its PUBACK sent once the (synchronous) handler returned; `emit`
 * resolves on the PUBACK; `send` publishes with a response topic and correlation data, and
 * the reply comes back at QoS 1 on the client's response topic. One guarantee is weaker than
 * Tributary's: the request is acknowledged when the handler returns, before the broker took
 * the reply (mqtt.js sends PUBACKs only when `handleMessage` calls back, one message at a
 * time, so waiting for the reply there would serialise the service).
 */
export const rawMqtt = async (tag: string, metadata = false): Promise<BenchSystem> => {
  const counter = new Counter();
  const service = await open({ clientId: `${tag}-raw-service`, clean: false, properties: { sessionExpiryInterval: 3600, receiveMaximum: 32 } });
  const client = await open({ clientId: `${tag}-raw-client`, clean: true, properties: { receiveMaximum: 32 } });
  service.on('message', (_topic, payload, packet) => {
    const event = JSON.parse(payload.toString()) as BenchEvent & { metadata?: Record<string, unknown> };
    if (metadata) readMetadata(event, packet.properties?.userProperties);
    if (event.type === 'OrderPlaced') counter.hit();
    else if (event.type === 'Ping') {
      const { responseTopic, correlationData } = packet.properties ?? {};
      if (!responseTopic) return;
      if (metadata) {
        const { body, properties } = withMetadata({ type: 'Pong', payload: event.payload }, { correlationId: correlationData!.toString(), causationId: event.metadata?.id as string });
        service.publish(responseTopic, body, { qos: 1, properties });
      } else service.publish(responseTopic, JSON.stringify({ type: 'Pong', payload: event.payload }), { qos: 1, properties: { correlationData } });
    }
  });
  await service.subscribeAsync(`$share/${tag}/${tag}`, { qos: 1 });
  const replyTopic = `${tag}/reply`;
  const pending = new Map<string, (reply: BenchEvent) => void>();
  client.on('message', (_topic, payload, packet) => {
    const id = packet.properties?.correlationData?.toString();
    const resolve = id === undefined ? undefined : pending.get(id);
    if (!resolve) return;
    pending.delete(id!);
    const reply = JSON.parse(payload.toString());
    if (metadata) readMetadata(reply, packet.properties?.userProperties);
    resolve(reply);
  });
  await client.subscribeAsync(replyTopic, { qos: 1 });
  let next = 0;
  return {
    emit: {
      emit: event => {
        if (!metadata) return client.publishAsync(tag, JSON.stringify(event), { qos: 1 });
        const { body, properties } = withMetadata(event);
        return client.publishAsync(tag, body, { qos: 1, properties });
      },
      processed: counter,
    },
    send: {
      send: event =>
        new Promise((resolve, reject) => {
          const correlationId = metadata ? randomUUID() : String(next++);
          pending.set(correlationId, resolve);
          const done = (error?: Error) => {
            if (error) {
              pending.delete(correlationId);
              reject(error);
            }
          };
          if (metadata) {
            const { body, properties } = withMetadata(event, { correlationId });
            client.publish(tag, body, { qos: 1, properties: { ...properties, responseTopic: replyTopic } }, done);
          } else client.publish(tag, JSON.stringify(event), { qos: 1, properties: { responseTopic: replyTopic, correlationData: Buffer.from(correlationId) } }, done);
        }),
    },
    close: async () => {
      await client.endAsync(false).catch(() => undefined);
      // expiry 0 on the DISCONNECT ends the persistent session
      await service.endAsync(false, { properties: { sessionExpiryInterval: 0 } }).catch(() => undefined);
    },
  };
};

/**
 * What Tributary puts on the wire with each MQTT message, for the raw variant that carries it
 * too: an envelope with `metadata` (a UUID, the time, the correlation id, the cause), the
 * `x-message-id`, `x-type`, `x-timestamp-ms` (and `x-causation-id`) user properties, the
 * content type and the correlation data.
 */
const withMetadata = (
  event: BenchEvent,
  extra: { correlationId?: string; causationId?: string } = {},
): { body: string; properties: { contentType: string; userProperties: Record<string, string>; correlationData: Buffer } } => {
  const { id, timestamp, correlationId, body } = tributaryEnvelope(event, extra);
  const userProperties: Record<string, string> = { 'x-message-id': id, 'x-type': event.type, 'x-timestamp-ms': String(timestamp) };
  if (extra.causationId !== undefined) userProperties['x-causation-id'] = extra.causationId;
  return { body, properties: { contentType: 'application/json', userProperties, correlationData: Buffer.from(correlationId) } };
};

/** What a consumer reads back: the user properties over the envelope's metadata. */
const readMetadata = (event: { metadata?: Record<string, unknown> }, user: Record<string, string | string[]> | undefined): void => {
  const meta = (event.metadata ??= {});
  const last = (name: string) => {
    const value = user?.[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
  meta.id = last('x-message-id');
  meta.timestamp = Number(last('x-timestamp-ms'));
  const causation = last('x-causation-id');
  if (causation !== undefined) meta.causationId = causation;
};

/** `@nestjs/microservices` loaded on first use (only the NestJS cells load it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nestTransport = () => (require('@nestjs/microservices') as typeof NestMicroservices).Transport;

/**
 * NestJS 12 `Transport.MQTT` (mqtt.js 5), default options: QoS 0 both ways, clean sessions,
 * so events and requests are at-most-once (`emit` resolves once written); replies come back
 * on `<pattern>/reply`, one topic every client of the pattern subscribes to. The patterns
 * (topics) carry the cell's tag.
 */
export const nestMqtt = (tag: string): Promise<BenchSystem> => {
  noDelayEverywhere();
  const options = { transport: nestTransport().MQTT, options: { url: MQTT_URL } } as const;
  return nestService(options, options, false, `${tag}/`);
};

/**
 * Moleculer 0.15 MQTT transporter (mqtt.js, MQTT 3.1.1), default options: QoS 0, clean
 * sessions: at-most-once for events and requests, `emit` resolves once written.
 */
export const moleculerMqtt = (tag: string): Promise<BenchSystem> => {
  noDelayEverywhere();
  // a URL, not an options object: the transporter hands its options to mqtt.connect, which
  // writes the client id into them, so two brokers sharing one object would share one client id
  return moleculerService(MQTT_URL, tag);
};

const MQTT_SYSTEMS: Record<string, (tag: string) => Promise<BenchSystem>> = {
  tributary: tributaryMqtt,
  raw: tag => rawMqtt(tag),
  'raw-metadata': tag => rawMqtt(tag, true),
  layer: mqttLayer,
  nest: nestMqtt,
  moleculer: moleculerMqtt,
};

/** The MQTT systems, with how many operations each makes per run. */
export const mqttSystems = (n: { tributary: number; raw: number; nest?: number; moleculer?: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'Transport.MQTT (QoS 1)', n: n.tributary, unavailable: () => environment.mqtt ?? environment.tributaryMqtt },
  { id: 'raw', side: 'raw', label: 'mqtt.js QoS 1', n: n.raw, unavailable: () => environment.mqtt },
  { id: 'raw-metadata', side: 'raw', breakdown: true, label: "mqtt.js QoS 1 + Tributary's metadata", n: n.raw, unavailable: () => environment.mqtt },
  { id: 'layer', side: 'raw', breakdown: true, label: "Tributary's transport layer alone", n: n.tributary, unavailable: () => environment.mqtt },
  { id: 'nest', side: 'nest', label: 'NestJS MQTT', n: n.nest ?? n.raw, unavailable: () => environment.mqtt },
  { id: 'moleculer', side: 'moleculer', label: 'Moleculer MQTT', n: n.moleculer ?? n.raw, unavailable: () => environment.mqtt },
];

/** Starts an MQTT system on fresh topics, runs `fn` on it, closes it and ends its sessions. */
export const withMqttSystem = <T>(systemId: string, tag: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = MQTT_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown MQTT system "${systemId}"`);
  return withSystem(() => start(tag), fn);
};
