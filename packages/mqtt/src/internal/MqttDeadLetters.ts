import { randomUUID } from 'node:crypto';
import type { IClientPublishOptions, IPublishPacket, MqttClient } from 'mqtt';
import { CoreError } from '@tributary/core';
import { DEAD_LETTER_HEADERS, DeadLetterDestinationNotFoundError } from '@tributary/messaging/transport';
import type { DeadLetter, DeadLetterStore } from '@tributary/messaging/transport';
import { MqttNoSubscribersError } from '../errors';
import { connected, endClient, openClient, sendPuback } from './clients';
import { PROPERTY, userHeaders, userProperty } from './properties';
import { Publisher } from './Publisher';
import type { ResolvedMqttOptions } from './resolveOptions';

/** The user property of the marker a store puts behind the dead letters it found (never a dead letter itself). */
const MARKER = 'x-redrive-marker';
/** How long a page waits for more letters once it has some, ms. */
const SETTLE = 25;
/** How long `list` waits for a letter before it makes room by moving the skipped ones to the back, ms. */
const STALLED = 150;

type DeadLetterTarget = Exclude<ResolvedMqttOptions['deadLetter'], false>;

const number = (value: string | undefined): number | undefined => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
};

const typeOf = (packet: IPublishPacket): string | undefined => {
  const type = userProperty(packet, PROPERTY.type);
  if (type !== undefined) return type;
  try {
    const body = JSON.parse(Buffer.from(packet.payload).toString('utf8')) as { type?: unknown };
    return typeof body?.type === 'string' ? body.type : undefined;
  } catch {
    return undefined;
  }
};

/** The publish options of a packet as it came (`drop`: user properties left out). */
const republish = (packet: IPublishPacket, drop: ReadonlySet<string> = new Set()): IClientPublishOptions => {
  const { userProperties, correlationData, responseTopic, contentType, payloadFormatIndicator } = packet.properties ?? {};
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(userProperties ?? {})) if (!drop.has(name.toLowerCase())) kept[name] = value;
  return { qos: 1, properties: { userProperties: kept, correlationData, responseTopic, contentType, payloadFormatIndicator } };
};

/** What a redrive leaves out: the dead-letter properties and the delivery count. */
const DROPPED = new Set<string>([...DEAD_LETTER_HEADERS, PROPERTY.attempt, PROPERTY.originalTopic].map(name => name.toLowerCase()));

/**
 * The dead letters of an MQTT service as a `DeadLetterStore`. MQTT keeps them only in the
 * persistent session that subscribes to `<channel>/dead-letter` (client id
 * `<channel>-dead-letter`); the store connects as that session, so the broker hands it the
 * letters, and it sends no PUBACK until a letter is moved: what it did not move stays in the
 * session, in place (the broker delivers it again to the next connection).
 *
 * - At open it publishes a marker to the dead-letter topic: what comes before it was there
 *   when the store opened, what comes after (a redriven letter failing again) is not listed.
 * - The store asks for a receive maximum of 65 535: Mosquitto 2 then sends that many letters
 *   without acknowledgement (a client asking for none gets `max_inflight_messages`, 20). A broker
 *   may send fewer: when `list` is asked for more while its window is full of letters listed
 *   and not moved, it makes room: each of those is published again to the dead-letter topic,
 *   behind the marker (at the back of the queue), and then acknowledged. It stays a dead letter
 *   (a crash in between may leave two copies, never none) but moves to the back, and `move`
 *   refuses it in this store.
 * - `move` publishes the letter to the service topic at QoS 1 with its original properties (the
 *   dead-letter ones and `x-attempt` removed), and acknowledges the letter once the broker took
 *   the copy for a subscriber; "no matching subscribers" rejects and keeps the letter.
 * - Another connection with the same client id (a service instance starting) takes the session
 *   over: the store then fails; the letters stay in the session.
 */
export class MqttDeadLetters implements DeadLetterStore {
  readonly destination: string;
  readonly target: string;
  private readonly received: IPublishPacket[] = [];
  private readonly held = new Map<DeadLetter, IPublishPacket>();
  /** Listed letters published again at the back (made room): `move` refuses them. */
  private readonly rotated = new WeakSet<DeadLetter>();
  private arrived?: () => void;
  private lost?: Error;
  private done = false;
  private counter = 0;

  private constructor(
    private readonly client: MqttClient,
    private readonly publisher: Publisher,
    private readonly marker: string,
    private readonly options: ResolvedMqttOptions,
    private readonly dl: DeadLetterTarget,
  ) {
    this.destination = `${dl.topic} (session ${dl.clientId})`;
    this.target = options.topics.service;
    client.on('close', () => {
      this.lost ??= new CoreError(
        `The connection of the dead-letter session "${dl.clientId}" closed (taken over by a service instance starting, or the broker went away). ` +
          'The letters not moved are still in the session; run the redrive again.',
        { context: 'mqtt.redrive' },
      );
      this.arrived?.();
    });
  }

  /** `window`: the receive maximum asked of the broker (it may send fewer unacknowledged; Mosquitto 2 sends that many). */
  static async open(options: ResolvedMqttOptions, window = 65_535): Promise<MqttDeadLetters> {
    const dl = options.deadLetter;
    if (!dl) throw new DeadLetterDestinationNotFoundError(`${options.topics.deadLetter} (deadLetter: false)`, options.host);
    // what arrives before the store exists waits here (the broker sends at once on connect)
    const early: IPublishPacket[] = [];
    let sink = (packet: IPublishPacket): void => void early.push(packet);
    const session = { clientId: dl.clientId, clean: false, sessionExpiry: dl.sessionExpiry, receiveMaximum: window, reconnect: false };
    const client = openClient(options, session, packet => sink(packet));
    client.on('error', () => undefined);
    try {
      const connack = await connected(client, options.timeout, options.host);
      if (!connack.sessionPresent) {
        // no service with dead letters ran here: end the session this connection just made
        await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } }).catch(() => undefined);
        throw new DeadLetterDestinationNotFoundError(`${dl.topic} (session ${dl.clientId})`, options.host);
      }
      // also when the session lost its subscription (the marker must come back)
      await client.subscribeAsync(dl.topic, { qos: 1 });
      const publisher = new Publisher(client, 1, options.timeout, options.host, options.channel);
      const marker = randomUUID();
      const store = new MqttDeadLetters(client, publisher, marker, options, dl);
      store.received.push(...early.splice(0));
      sink = packet => store.receive(packet);
      await publisher.send(dl.topic, Buffer.alloc(0), { qos: 1, properties: { userProperties: { [MARKER]: marker } } });
      return store;
    } catch (error) {
      await endClient(client, 2_000);
      throw error;
    }
  }

  async list({ limit }: { limit: number }): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    const deadline = Date.now() + this.options.timeout;
    while (!this.done && letters.length < limit) {
      const packet = this.received.shift();
      if (packet) {
        const marker = userProperty(packet, MARKER);
        if (marker !== undefined) {
          // ours: every letter there was at open has been read; another store's (left by one that stopped early): dropped
          this.ack(packet);
          if (marker === this.marker) this.done = true;
          continue;
        }
        const letter = this.letter(packet);
        this.held.set(letter, packet);
        letters.push(letter);
        continue;
      }
      if (this.lost) throw this.lost;
      if (letters.length > 0) {
        if (!(await this.next(SETTLE))) break;
        continue;
      }
      if (await this.next(STALLED)) continue;
      // nothing comes: the broker's window is full of listed letters not moved; they go to the back
      if (this.held.size > 0) await this.makeRoom();
      else if (Date.now() > deadline) {
        throw new CoreError(`The dead-letter session "${this.dl.clientId}" sent nothing for ${this.options.timeout} ms and its marker did not come back. Run the redrive again.`, {
          context: 'mqtt.redrive',
        });
      }
    }
    return letters;
  }

  async move(letter: DeadLetter): Promise<void> {
    const packet = this.held.get(letter);
    if (this.rotated.has(letter)) throw new Error(`Dead letter ${letter.id} was moved to the back of the dead-letter queue to make room: list it again in a new store.`);
    if (!packet) throw new Error(`Dead letter ${letter.id} was not listed by this store, or was moved already.`);
    this.held.delete(letter);
    try {
      if (this.lost) throw this.lost;
      const outcome = await this.publisher.send(this.target, Buffer.from(packet.payload), republish(packet, DROPPED));
      if (outcome === 'no-subscribers') throw new MqttNoSubscribersError(this.target);
    } catch (error) {
      this.held.set(letter, packet);
      throw error;
    }
    if (!this.ack(packet)) throw this.lost ?? new Error(`The dead-letter session "${this.dl.clientId}" is disconnected: dead letter ${letter.id} was redriven and stays a dead letter too.`);
  }

  async close(): Promise<void> {
    // what is held and not moved goes back to the session unacknowledged, in place
    this.held.clear();
    this.received.length = 0;
    await this.publisher.drain(1_000);
    await endClient(this.client, Math.min(this.options.timeout, 5_000));
  }

  private receive(packet: IPublishPacket): void {
    this.received.push(packet);
    this.arrived?.();
  }

  private ack(packet: IPublishPacket): boolean {
    return packet.qos === 0 || sendPuback(this.client, packet.messageId!, 0);
  }

  /** Waits for a packet, `ms` at most; true when one came. */
  private async next(ms: number): Promise<boolean> {
    if (this.received.length > 0) return true;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>(resolve => {
      this.arrived = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.arrived = undefined;
    return this.received.length > 0;
  }

  /** Publishes the listed, unmoved letters again at the back of the queue, then acknowledges them: the broker sends the next ones. */
  private async makeRoom(): Promise<void> {
    const skipped = [...this.held];
    const outcomes = await Promise.all(skipped.map(([, packet]) => this.publisher.send(this.dl.topic, Buffer.from(packet.payload), republish(packet))));
    // the copies are kept (our own subscription takes them): only now the originals go
    if (outcomes.some(outcome => outcome !== 'taken')) throw new MqttNoSubscribersError(this.dl.topic);
    for (const [letter, packet] of skipped) {
      this.held.delete(letter);
      this.rotated.add(letter);
      if (!this.ack(packet)) throw this.lost ?? new Error(`The dead-letter session "${this.dl.clientId}" is disconnected.`);
    }
  }

  private letter(packet: IPublishPacket): DeadLetter {
    const messageId = userProperty(packet, PROPERTY.messageId);
    const headers = userHeaders(packet) ?? {};
    for (const name of Object.keys(headers)) if (DROPPED.has(name.toLowerCase())) delete headers[name];
    return {
      id: messageId ?? `#${++this.counter}`,
      messageId,
      type: typeOf(packet),
      reason: userProperty(packet, PROPERTY.reason),
      errorName: userProperty(packet, PROPERTY.errorName),
      errorMessage: userProperty(packet, PROPERTY.errorMessage),
      attempts: number(userProperty(packet, PROPERTY.attempts)),
      headers,
      source: userProperty(packet, PROPERTY.originalTopic),
      data: Buffer.from(packet.payload),
    };
  }
}
