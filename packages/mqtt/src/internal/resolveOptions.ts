import { hostname } from 'node:os';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { CoreError } from '@tributary/core';
import { resolveDeliveryOptions } from '@tributary/messaging/transport';
import type { ResolvedDeliveryOptions } from '@tributary/messaging/transport';
import { DEFAULT_MQTT_OPTIONS } from '../MqttStrategyOptions';
import type { MqttStrategyOptions } from '../MqttStrategyOptions';
import { mqttTopics } from '../mqttTopics';
import type { MqttTopics } from '../mqttTopics';

/** Options with every default filled, as the internals use them. */
export interface ResolvedMqttOptions extends ResolvedDeliveryOptions {
  /** The broker URL as given (credentials may be in it). */
  readonly url: string;
  /** The URL with the password masked, for messages and `config.host`. */
  readonly host: string;
  readonly channel: string;
  readonly topics: MqttTopics;
  readonly qos: 0 | 1;
  /** '' until a connection gets its own (see `defaultClientId`). */
  readonly clientId: string;
  readonly sessionExpiry: number;
  readonly receiveMaximum: number;
  readonly keepalive: number;
  readonly reconnect: { initialDelay: number; maxDelay: number };
  readonly deadLetter: { topic: string; clientId: string; sessionExpiry: number } | false;
  readonly username?: string;
  readonly password?: string;
  /** TLS options of an `mqtts://` / `wss://` connection. */
  readonly tls?: TlsConnectionOptions;
  readonly mqttOptions: Record<string, unknown>;
}

const invalid = (what: string): CoreError => new CoreError(`@tributary/mqtt: ${what}`, { context: 'mqtt.options' });

const counters = new Map<string, number>();

/** `<channel>-<hostname>-<pid>-<n>`: unique per process and connection (a restarted process gets a new one). */
export const defaultClientId = (channel: string): string => {
  const n = (counters.get(channel) ?? 0) + 1;
  counters.set(channel, n);
  return `${channel}-${hostname()}-${process.pid}-${n}`;
};

const mask = (host: string): string => {
  const url = new URL(host);
  if (url.password) url.password = '***';
  url.search = '';
  return url.toString().replace(/\/$/, '');
};

const seconds = (name: string, value: number, max = 0xffffffff): number => {
  if (!Number.isInteger(value) || value < 0 || value > max) throw invalid(`\`${name}\` must be a whole number of seconds from 0 to ${max}, got ${value}.`);
  return value;
};

/** Fills the defaults and checks what cannot work, with errors that say how to fix it. */
export const resolveMqttOptions = (options: MqttStrategyOptions): ResolvedMqttOptions => {
  const d = DEFAULT_MQTT_OPTIONS;
  const url = options?.host ?? d.host;
  if (typeof url !== 'string' || !/^(mqtts?|wss?):\/\//.test(url)) {
    throw invalid(`\`host\` must be a broker URL like 'mqtt://127.0.0.1:1883' (mqtt, mqtts, ws, wss), got ${JSON.stringify(url)}.`);
  }
  if (options?.tls !== undefined && !/^(mqtts|wss):\/\//.test(url)) {
    throw invalid(`\`tls\` needs a TLS URL: the host ${JSON.stringify(mask(url))} is plain. Use 'mqtts://host:8883' (or 'wss://'), or remove \`tls\`.`);
  }
  const channel = options?.channel;
  if (typeof channel !== 'string' || channel === '' || /[/+#]/.test(channel) || channel.startsWith('$')) {
    throw invalid(
      `\`channel\` must be a non-empty name without '/', '+', '#' and not starting with '$' (it names a topic and a shared-subscription group), got ${JSON.stringify(channel)}.`,
    );
  }
  const qos = options.qos ?? d.qos;
  if (qos !== 0 && qos !== 1) throw invalid(`\`qos\` must be 0 or 1 (QoS 2 is not supported: the delivery machine settles at least once), got ${JSON.stringify(qos)}.`);
  if (options.clientId !== undefined && (typeof options.clientId !== 'string' || options.clientId === '')) {
    throw invalid('`clientId` must be a non-empty string, unique per running instance and stable across its restarts.');
  }
  const delivery = resolveDeliveryOptions(options, '@tributary/mqtt', { timeout: d.timeout, expectAck: d.expectAck, subscribe: d.subscribe });
  const topics = mqttTopics(channel);
  for (const pattern of delivery.subscribe) topics.filter(pattern); // throws on what MQTT cannot express
  const dl = options.deadLetter;
  const receiveMaximum = options.receiveMaximum ?? d.receiveMaximum;
  if (!Number.isInteger(receiveMaximum) || receiveMaximum < 1 || receiveMaximum > 65535) throw invalid(`\`receiveMaximum\` must be from 1 to 65535, got ${receiveMaximum}.`);
  return {
    url,
    host: mask(url),
    channel,
    topics,
    qos,
    clientId: options.clientId ?? '',
    sessionExpiry: seconds('sessionExpiry', options.sessionExpiry ?? d.sessionExpiry),
    receiveMaximum,
    keepalive: seconds('keepalive', options.keepalive ?? d.keepalive, 65535),
    ...delivery,
    reconnect: { ...d.reconnect, ...options.reconnect },
    deadLetter:
      dl === false
        ? false
        : {
            topic: dl?.topic ?? topics.deadLetter,
            clientId: dl?.clientId ?? `${channel}-dead-letter`,
            sessionExpiry: seconds('deadLetter.sessionExpiry', dl?.sessionExpiry ?? d.deadLetterSessionExpiry),
          },
    username: options.username,
    password: options.password,
    ...(options.tls !== undefined && { tls: options.tls }),
    mqttOptions: options.mqttOptions ?? {},
  };
};
