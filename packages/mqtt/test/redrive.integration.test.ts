/**
 * Redrive on MQTT: the dead letters kept in the dead-letter session go back to the service
 * topic as fresh deliveries with their original properties, each once, acknowledged in the
 * session only after the broker took the copy.
 */
import { redriveDeadLetters, Transport } from '@tributary/messaging';
import type { TransportProvider } from '@tributary/messaging';
import { createTransportLayer } from '@tributary/mqtt';
import type { MqttStrategyOptions } from '@tributary/mqtt';
import type { IPublishPacket } from 'mqtt';
import { MqttDeadLetters } from '../src/internal/MqttDeadLetters';
import { resolveMqttOptions } from '../src/internal/resolveOptions';
import { MQTT_URL, readDeadLetters, removeSessions, sessionsOf, uniqueChannel, waitFor } from './helpers/broker';
import { produceDeadLetters, takeServiceMessages } from './helpers/deadLetters';

const property = (packet: IPublishPacket, name: string): string | undefined => {
  const value = packet.properties?.userProperties?.[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
};

describe('redriveDeadLetters on MQTT', () => {
  const channels: string[] = [];
  const channel = (name: string): string => {
    const made = uniqueChannel(name);
    channels.push(made);
    return made;
  };
  afterAll(() => removeSessions(channels.flatMap(name => sessionsOf(name))));
  const options = (name: string) => ({ host: MQTT_URL, channel: name, timeout: 5_000 });

  it('moves 1,000 dead letters back: none lost, none duplicated (by id), in order, original properties, then none is left', async () => {
    const name = channel('redrive1000');
    await produceDeadLetters(name, 1000);
    const taker = await takeServiceMessages(name);
    try {
      const started = Date.now();
      const progress: number[] = [];
      const result = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), onProgress: p => progress.push(p.moved) });
      const took = Date.now() - started;
      expect(result).toMatchObject({ moved: 1000, matched: 1000 });
      expect(progress[progress.length - 1]).toBe(1000);
      expect(result.letters[0]).toMatchObject({ id: 'dl-0', messageId: 'dl-0', type: 'OrderCancelled', reason: 'failed', errorName: 'TypeError', attempts: 3, headers: { tenant: 'acme' }, source: name });

      await waitFor(() => taker.packets.length >= 1000, 10_000, 'the 1000 redriven messages');
      const ids = taker.packets.map(packet => property(packet, 'x-message-id'));
      expect(new Set(ids).size).toBe(1000);
      expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => `dl-${i}`));
      const [first] = taker.packets;
      expect(first.properties?.userProperties).toEqual({ 'x-message-id': 'dl-0', 'x-type': 'OrderCancelled', 'x-key': 'k-0', tenant: 'acme' });
      expect(Buffer.from(first.properties!.correlationData!).toString()).toBe('c-0');
      expect(JSON.parse(first.payload.toString())).toEqual({ type: 'OrderCancelled', payload: { n: 0 } });

      const again = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name) });
      expect(again).toMatchObject({ moved: 0, matched: 0 });
      expect(await readDeadLetters(name, 150)).toEqual([]);
      expect(taker.packets).toHaveLength(1000);
      process.stdout.write(`mqtt: redrove 1000 dead letters in ${took} ms\n`);
    } finally {
      await taker.close();
    }
  }, 30_000);

  it('lists 50 dead letters in order and leaves every one in place; the marker of a list cut short is dropped by the next store', async () => {
    const name = channel('redrive-list');
    await produceDeadLetters(name, 50);
    const dry = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true });
    expect(dry.matched).toBe(50);
    expect(dry.letters.map(l => l.id).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `dl-${i}`).sort());
    expect(dry.letters.map(l => l.id)).toEqual(Array.from({ length: 50 }, (_, i) => `dl-${i}`));
    const kept = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true });
    expect(kept.letters.map(l => l.id)).toEqual(dry.letters.map(l => l.id));

    // a list cut short (--limit) leaves its marker behind: the next store drops it, it is no dead letter
    const some = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true, limit: 5 });
    expect(some.matched).toBe(5);
    const all = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true });
    expect(all.matched).toBe(50);
    expect(all.letters.every(l => l.type !== undefined)).toBe(true);
  }, 30_000);

  /** The transport, its store asking the broker for only `window` letters unacknowledged (as a broker capping it would send). */
  const narrow = (window: number): TransportProvider<MqttStrategyOptions> => ({
    type: Transport.MQTT,
    createTransportLayer: (opts: MqttStrategyOptions) => ({ ...createTransportLayer(opts), openDeadLetters: () => MqttDeadLetters.open(resolveMqttOptions(opts), window) }),
  });

  it('with a broker sending 10 unacknowledged letters: a dry run still lists all 35 (the listed ones go to the back) and keeps every one', async () => {
    const name = channel('redrive-window');
    await produceDeadLetters(name, 35);
    const dry = await redriveDeadLetters({ transport: narrow(10), options: options(name), dryRun: true });
    expect(dry.letters.map(l => l.id)).toEqual(Array.from({ length: 35 }, (_, i) => `dl-${i}`));
    const after = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true });
    expect(after.letters.map(l => l.id).sort()).toEqual(dry.letters.map(l => l.id).sort());
    // the letters made room for went to the back: the order changed, nothing else
    expect(after.letters.map(l => l.id)).not.toEqual(dry.letters.map(l => l.id));
    expect(after.matched).toBe(35);
  }, 30_000);

  it('with a broker sending 10 unacknowledged letters: a filtered redrive moves every matching one and keeps the others', async () => {
    const name = channel('redrive-filter');
    await produceDeadLetters(name, 60);
    const taker = await takeServiceMessages(name);
    try {
      const moved = await redriveDeadLetters({ transport: narrow(10), options: options(name), filter: { type: 'OrderPlaced' } });
      expect(moved).toMatchObject({ moved: 30, matched: 30 });
      await waitFor(() => taker.packets.length >= 30, 10_000, 'the 30 redriven messages');
      expect(taker.packets.map(packet => property(packet, 'x-message-id'))).toEqual(Array.from({ length: 30 }, (_, i) => `dl-${2 * i + 1}`));
      const left = await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true });
      expect(left.letters.map(l => l.id).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `dl-${2 * i}`).sort());
      expect(taker.packets).toHaveLength(30);
    } finally {
      await taker.close();
    }
  }, 30_000);

  it('keeps the letters when no session subscribes to the service topic (the broker would drop the copy)', async () => {
    const name = channel('redrive-nobody');
    await produceDeadLetters(name, 3);
    await expect(redriveDeadLetters({ transport: Transport.MQTT, options: options(name), concurrency: 1 })).rejects.toThrow(/stopped after 0 of 3.*No MQTT session subscribes/);
    expect((await redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true })).matched).toBe(3);
  });

  it('a channel that never had a dead-letter session: DeadLetterDestinationNotFoundError, and no session is left behind', async () => {
    const name = channel('redrive-none');
    await expect(redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true })).rejects.toMatchObject({ name: 'DeadLetterDestinationNotFoundError' });
    await expect(redriveDeadLetters({ transport: Transport.MQTT, options: options(name), dryRun: true })).rejects.toMatchObject({ name: 'DeadLetterDestinationNotFoundError' });
  });
});
