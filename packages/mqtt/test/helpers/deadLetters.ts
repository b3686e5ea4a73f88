import { randomUUID } from 'node:crypto';
import { connect } from 'mqtt';
import type { IPublishPacket, MqttClient } from 'mqtt';
import { MQTT_URL } from './broker';

const open = (clientId: string, clean: boolean, sessionExpiry: number): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const client = connect(MQTT_URL, { clientId, clean, protocolVersion: 5, reconnectPeriod: 0, properties: { sessionExpiryInterval: sessionExpiry } });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });

/**
 * Makes the dead-letter session of `channel` (as a service does at start: client id
 * `<channel>-dead-letter`, subscribed to `<channel>/dead-letter`), leaves it offline and
 * publishes `count` dead letters to it at QoS 1, in the format the transport writes them. The
 * broker keeps them in the session (Mosquitto: up to `max_queued_messages`, 1000 by default).
 */
export const produceDeadLetters = async (
  channel: string,
  count: number,
  type: (i: number) => string = i => (i % 2 ? 'OrderPlaced' : 'OrderCancelled'),
  idPrefix = 'dl-',
): Promise<void> => {
  const session = await open(`${channel}-dead-letter`, false, 0xffffffff);
  await session.subscribeAsync(`${channel}/dead-letter`, { qos: 1 });
  await session.endAsync();
  const producer = await open(`dl-producer-${randomUUID()}`, true, 0);
  try {
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < count; i++) {
      const userProperties = {
        'x-message-id': `${idPrefix}${i}`,
        'x-type': type(i),
        'x-key': `k-${i % 7}`,
        'x-attempt': '3',
        tenant: 'acme',
        'x-dead-letter-reason': 'failed',
        'x-error-name': 'TypeError',
        'x-error-message': 'cannot read properties of undefined',
        'x-attempts': '3',
        'x-original-topic': channel,
      };
      const properties = { userProperties, correlationData: Buffer.from(`c-${i}`), contentType: 'application/json' };
      sends.push(producer.publishAsync(`${channel}/dead-letter`, JSON.stringify({ type: type(i), payload: { n: i } }), { qos: 1, properties }));
    }
    await Promise.all(sends);
  } finally {
    await producer.endAsync();
  }
};

/** A subscriber in the service's shared group that takes (acknowledges) every message of `<channel>` and keeps them, in order. */
export const takeServiceMessages = async (channel: string): Promise<{ packets: IPublishPacket[]; close(): Promise<void> }> => {
  const packets: IPublishPacket[] = [];
  const client = await open(`${channel}-taker-${randomUUID().slice(0, 8)}`, true, 0);
  client.on('message', (_topic, _payload, packet) => packets.push(packet));
  await client.subscribeAsync(`$share/${channel}/${channel}`, { qos: 1 });
  return { packets, close: () => client.endAsync() };
};
