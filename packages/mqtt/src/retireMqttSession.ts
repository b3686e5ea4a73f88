import type { IClientPublishOptions, IPublishPacket } from 'mqtt';
import { CoreError } from '@tributary/core';
import type { MqttStrategyOptions } from './MqttStrategyOptions';
import { connected, endClient, openClient, sendPuback } from './internal/clients';
import { resolveMqttOptions } from './internal/resolveOptions';
import { MqttNoSubscribersError } from './errors';

/** How long the session must stay quiet before it counts as emptied, ms. */
const QUIET = 500;

/**
 * Retires the session of a service instance that will not come back (scaled down, renamed):
 * stops the broker from giving it a share of the service's messages (UNSUBSCRIBE), moves the
 * messages waiting in it back to the service topic, where the running instances get them, and
 * ends the session. Mosquitto 2 keeps assigning messages to an offline member of a shared
 * subscription and never hands them to another member: without this, they wait until the
 * session expires (`sessionExpiry`) and are then dropped. Never run it for an instance that is
 * running: it would take its session over.
 *
 * @example
 * ```ts
 * import { retireMqttSession } from '@tributary/mqtt';
 * // the same options as the service, with the client id of the instance to retire
 * const { moved } = await retireMqttSession({ host: 'mqtt://127.0.0.1:1883', channel: 'payments', clientId: 'payments-3' });
 * ```
 * @returns how many messages were moved
 * @since 0.2.0
 * @category mqtt
 */
export const retireMqttSession = async (options: MqttStrategyOptions & { clientId: string }): Promise<{ moved: number }> => {
  const resolved = resolveMqttOptions(options);
  const waiting: IPublishPacket[] = [];
  let wake: (() => void) | undefined;
  const session = { clientId: options.clientId, clean: false, sessionExpiry: resolved.sessionExpiry, receiveMaximum: resolved.receiveMaximum, reconnect: false };
  const client = openClient(resolved, session, packet => {
    waiting.push(packet);
    wake?.();
  });
  client.on('error', () => undefined);
  const unrouted = new Set<number>();
  client.on('packetreceive', packet => {
    if (packet.cmd === 'puback' && packet.reasonCode === 0x10 && packet.messageId !== undefined) unrouted.add(packet.messageId);
  });
  let moved = 0;
  let ended = false;
  try {
    const connack = await connected(client, resolved.timeout, resolved.host);
    if (connack.sessionPresent) {
      const { topics } = resolved;
      await client.unsubscribeAsync([topics.serviceFilter, ...resolved.subscribe.map(pattern => topics.filter(pattern))]);
      for (;;) {
        const packet = waiting.shift() ?? (await new Promise<IPublishPacket | undefined>(resolve => {
          const timer = setTimeout(() => resolve(undefined), QUIET);
          wake = () => {
            clearTimeout(timer);
            wake = undefined;
            resolve(waiting.shift());
          };
        }));
        if (!packet) break;
        const { userProperties, correlationData, responseTopic, contentType, payloadFormatIndicator } = packet.properties ?? {};
        const publish: IClientPublishOptions = { qos: 1, properties: { userProperties, correlationData, responseTopic, contentType, payloadFormatIndicator } };
        await new Promise<void>((resolve, reject) => {
          client.publish(topics.service, packet.payload, publish, (error, sent) => {
            if (error) reject(error);
            // no running instance subscribes: the message stays here rather than being dropped
            else if (sent?.messageId !== undefined && unrouted.delete(sent.messageId)) reject(new MqttNoSubscribersError(topics.service));
            else resolve();
          });
        });
        if (packet.qos > 0) sendPuback(client, packet.messageId!, 0);
        moved++;
      }
    }
    // a clean DISCONNECT with expiry 0 ends the session
    await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } });
    ended = true;
  } catch (error) {
    if (error instanceof MqttNoSubscribersError) throw error;
    throw new CoreError(`@tributary/mqtt: could not retire the session "${options.clientId}": ${(error as Error).message}. It is kept; run this again.`, {
      context: 'mqtt.retire',
      cause: error,
    });
  } finally {
    if (!ended) await endClient(client, 2_000);
  }
  return { moved };
};
