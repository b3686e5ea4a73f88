import { Transport } from '@tributary/messaging';
import { retireMqttSession } from '@tributary/mqtt';
import type { MqttClient } from 'mqtt';
import { createTcpProxy } from '@tributary/testing/conformance';
import type { TransportConformanceSetup } from '@tributary/testing/conformance';
import { MQTT_URL, injectRaw, readDeadLetters, removeSessions, sessionsOf } from './helpers/broker';

const broker = new URL(MQTT_URL);

/** The conformance setup of MQTT. */
export const mqttConformanceSetup = (): TransportConformanceSetup => {
  return {
    transport: Transport.MQTT,
    // generated client ids (one per instance); sessions outlive a case by 5 minutes at most
    serviceOptions: (channel, extra) => ({ host: MQTT_URL, channel, sessionExpiry: 300, ...extra }),
    capabilities: { persistence: false, redrive: true },
    reasons: {
      persistence:
        'MQTT keeps messages only in the sessions of subscribers: an emit before the service ever subscribed is refused (MqttNoSubscribersError); ' +
        'what is emitted while a started service is offline waits in its persistent session (packages/mqtt/test)',
    },
    injectRaw: (channel, bytes) => injectRaw(channel, bytes),
    readDeadLetters: async channel =>
      (await readDeadLetters(channel, 150)).map(letter => ({
        type: letter.type,
        reason: letter.reason,
        errorName: letter.errorName,
        errorMessage: letter.errorMessage,
        attempts: letter.attempts,
        headers: letter.headers,
        body: letter.body,
      })),
    fault: async () => {
      const proxy = await createTcpProxy({ host: broker.hostname, port: Number(broker.port || 1883) });
      return { options: { host: `mqtt://127.0.0.1:${proxy.port}` }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
    },
    // a closed instance's session keeps taking its share of the shared subscription: an operator retires it
    replaced: async (closed, channel) => {
      await retireMqttSession({ host: MQTT_URL, channel, clientId: (closed.config.raw as MqttClient).options.clientId! });
    },
    cleanup: channels => removeSessions(channels.flatMap(channel => sessionsOf(channel))),
  };
};
