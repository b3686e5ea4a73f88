import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
import { createMicroservice, messagingListener, MessagingClient, Transport } from '@tributary/messaging';
import type { MessagingListenerConfig, MicroserviceConnection } from '@tributary/messaging';
import type { MqttStrategyOptions } from '@tributary/mqtt';
import { MQTT_URL, removeSessions, sessionsOf } from './broker';

/** End-to-end pieces on Mosquitto through the public API, closed (and their sessions removed) at the end. */
export class MqttServices {
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly channels = new Set<string>();
  private readonly clientIds = new Set<string>();

  options(options: Partial<MqttStrategyOptions> & { channel: string }): MqttStrategyOptions {
    this.channels.add(options.channel);
    if (options.clientId) this.clientIds.add(options.clientId);
    return { host: MQTT_URL, timeout: 5_000, sessionExpiry: 120, ...options };
  }

  async service(options: Partial<MqttStrategyOptions> & { channel: string }, listener: MessagingListenerConfig): Promise<MicroserviceConnection> {
    const microservice = await createMicroservice({ transport: Transport.MQTT, options: this.options(options), listener: messagingListener(listener) });
    const connection = await microservice();
    this.closers.push(() => connection.close({ drainTimeout: 1_000 }));
    return connection;
  }

  async client(options: Partial<MqttStrategyOptions> & { channel: string }): Promise<MessagingClient> {
    const token = createContextToken<MessagingClient>('MqttClient');
    const context = await contextFactory(bindEagerlyTo(token)(MessagingClient({ transport: Transport.MQTT, options: this.options(options) })));
    const client = useContext(token)(lookup(context));
    this.closers.push(() => client.close());
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map(close => close().catch(() => undefined)));
    await removeSessions([...this.channels].flatMap(channel => sessionsOf(channel)).concat([...this.clientIds]));
  }
}
