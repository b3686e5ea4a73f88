import type { DeadLetterInfo, TransportMessage } from '@tributary/messaging/transport';
import { MqttNoSubscribersError } from '../errors';
import { connected, endClient, openClient } from './clients';
import { PROPERTY, toPublish } from './properties';
import type { Publisher } from './Publisher';
import type { ResolvedMqttOptions } from './resolveOptions';

/**
 * Dead letters: published at QoS 1 to `<channel>/dead-letter`, with the error in user
 * properties. MQTT keeps messages only in subscribers' sessions, so a consumer first makes sure
 * a persistent session (client id `<channel>-dead-letter`) subscribes to that topic: the broker
 * then keeps every dead letter for it until someone reads them with that client id.
 */
export class DeadLetters {
  private ensured?: Promise<void>;

  constructor(
    private readonly options: ResolvedMqttOptions,
    private readonly target: { topic: string; clientId: string; sessionExpiry: number },
  ) {}

  /** Connects once as the dead-letter session and subscribes it to the dead-letter topic. */
  ensure(): Promise<void> {
    this.ensured ??= this.open().catch(async () => {
      // another instance starting at the same time took the session over: once more
      await new Promise(resolve => setTimeout(resolve, 200));
      await this.open();
    });
    return this.ensured;
  }

  private async open(): Promise<void> {
    const { clientId, sessionExpiry, topic } = this.target;
    // receiveMaximum 1, no PUBACK: dead letters already kept are left where they are
    const client = openClient(this.options, { clientId, clean: false, sessionExpiry, receiveMaximum: 1, reconnect: false }, () => undefined);
    client.on('error', () => undefined);
    try {
      await connected(client, Math.min(this.options.timeout, 10_000), this.options.host);
      // also when the session exists: a reader may have left it without the subscription
      await client.subscribeAsync(topic, { qos: 1 });
    } finally {
      await endClient(client, 2_000);
    }
  }

  /**
   * Publishes the dead letter (resolves on the broker's PUBACK). Should the broker have no
   * session for it any more (expired, or ended by a reader with a clean start), the session is
   * made again and the dead letter published once more: it is never acknowledged as dropped.
   */
  async publish(publisher: Publisher, message: TransportMessage, info: DeadLetterInfo, originalTopic: string): Promise<void> {
    const extra: Record<string, string> = {
      [PROPERTY.reason]: info.reason,
      [PROPERTY.attempts]: String(info.attempts),
      [PROPERTY.originalTopic]: originalTopic,
    };
    if (info.error?.name !== undefined) extra[PROPERTY.errorName] = String(info.error.name);
    if (info.error?.message !== undefined) extra[PROPERTY.errorMessage] = String(info.error.message);
    const { payload, options } = toPublish(message, 1, extra);
    if ((await publisher.send(this.target.topic, payload, options)) === 'taken') return;
    this.ensured = undefined;
    await this.ensure();
    if ((await publisher.send(this.target.topic, payload, options)) === 'taken') return;
    throw new MqttNoSubscribersError(this.target.topic);
  }
}
