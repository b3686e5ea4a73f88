import type { IClientPublishOptions, MqttClient } from 'mqtt';
import { BrokerUnavailableError, ConnectionClosedError, InFlightMessages } from '@tributary/messaging/transport';
import type { TransportMessage } from '@tributary/messaging/transport';
import { toPublish } from './properties';

/** PUBACK reason "No matching subscribers" (MQTT 5). */
const NO_SUBSCRIBERS = 0x10;

/** What the broker did with a published message. */
export type PublishOutcome = 'taken' | 'no-subscribers';

/**
 * Publishes messages and tells what the broker did with them: a PUBACK with reason "No
 * matching subscribers" means it dropped the message (mqtt.js reports that as a success, so
 * the reason is read from the PUBACK packet itself). Each publish waits `timeout` ms at most.
 * Also keeps the settlement publishes under way (dead letters, re-queued copies) for `drain`.
 */
export class Publisher {
  private readonly unrouted = new Set<number>();
  /** Only its settlement tracking is used: held messages are the Inbox's (keyed by packet id). */
  private readonly settlements = new InFlightMessages<object>();
  private stopped = false;

  constructor(
    private readonly client: MqttClient,
    private readonly qos: 0 | 1,
    private readonly timeout: number,
    private readonly host: string,
    private readonly channel: string,
  ) {
    client.on('packetreceive', packet => {
      if (packet.cmd === 'puback' && packet.reasonCode === NO_SUBSCRIBERS && packet.messageId !== undefined) this.unrouted.add(packet.messageId);
    });
  }

  publish(topic: string, message: TransportMessage): Promise<PublishOutcome> {
    const { payload, options } = toPublish(message, this.qos);
    return this.send(topic, payload, options);
  }

  /** Publishes a payload as it is (dead letters, with their own properties). */
  async send(topic: string, payload: Buffer, options: IClientPublishOptions): Promise<PublishOutcome> {
    if (this.stopped) throw new ConnectionClosedError(this.channel);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BrokerUnavailableError(this.host, this.timeout)), this.timeout)));
    try {
      const packet = await Promise.race([this.client.publishAsync(topic, payload, options), late]);
      const id = packet?.messageId;
      return id !== undefined && this.unrouted.delete(id) ? 'no-subscribers' : 'taken';
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keeps track of a settlement under way until it finishes. */
  track<T>(work: Promise<T>): Promise<T> {
    return this.settlements.settle(work);
  }

  /** Refuses new publishes and waits for the tracked ones, `ms` at most. */
  async drain(ms: number): Promise<void> {
    this.stopped = true;
    await this.settlements.drain(ms);
  }
}
