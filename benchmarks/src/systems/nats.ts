import { connect } from '@nats-io/transport-node';
import type { Msg } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { Transport } from '@tributary/messaging';
import type * as NestMicroservices from '@nestjs/microservices' with { 'resolution-mode': 'import' };
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import { environment, NATS_URL } from '../harness/environment';
import type { SystemSpec } from '../harness/types';
import { SEND_TIMEOUT } from './effects';
import { tributaryService } from './messagingSystems';
import { moleculerService } from './moleculer';
import { nestService } from './nest';
import { tributaryTransportLayer } from './transportLayerOnly';
import type { TributaryStarter } from './messagingSystems';

/** A JetStream stream or consumer name from a cell tag (as `@tributary/nats` derives it). */
const streamName = (name: string): string => name.replace(/[.*>\s/\\]/g, '_');

/** Deletes the streams a cell made (their consumers go with them); a fresh connection. */
export const deleteStreams = async (names: readonly string[]): Promise<void> => {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => undefined);
  } finally {
    await nc.close().catch(() => undefined);
  }
};

/**
 * Tributary on `Transport.NATS`, default options: `emit` publishes to the JetStream stream of
 * the channel (work-queue retention, file storage, `Nats-Msg-Id` for the duplicate window) and
 * resolves on the server's acknowledgement; the service reads it through a durable pull
 * consumer (explicit acks, prefetch 64) and acknowledges after the effects finished;
 * `send` is core NATS request/reply (`<channel>.rpc`, a queue group). At-least-once for
 * events, at-most-once for requests (as for every system here: a request is not stored).
 */
const onNats =
  (start: TributaryStarter) =>
  (tag: string): Promise<BenchSystem> =>
    start(Transport.NATS, { host: NATS_URL, channel: tag, timeout: SEND_TIMEOUT }, () => deleteStreams([streamName(tag), `${streamName(tag)}_dead-letter`]));
export const tributaryNats = onNats(tributaryService);

/** Tributary's NATS transport layer alone (see `tributaryTransportLayer`). */
export const natsLayer = onNats(tributaryTransportLayer);

/**
 * `@nats-io/jetstream` 3 by hand, with the same guarantees as Tributary: a file-stored
 * work-queue stream, `js.publish` awaiting the server's acknowledgement (with a message id, as
 * Tributary's), a durable pull consumer with explicit acks read with `consume()` (64 messages
 * buffered) and acknowledged after the work; `send` is `nc.request` (core NATS, the client's
 * one multiplexed inbox) answered by a queue-group subscription. Client and service have a
 * connection each, as Tributary's have.
 */
export const rawNats = async (tag: string): Promise<BenchSystem> => {
  const counter = new Counter();
  const stream = streamName(tag);
  const service = await connect({ servers: NATS_URL, name: `${tag} service` });
  const client = await connect({ servers: NATS_URL, name: `${tag} client` });
  const jsm = await jetstreamManager(service);
  await jsm.streams.add({ name: stream, subjects: [tag], retention: RetentionPolicy.Workqueue, storage: StorageType.File, duplicate_window: 120_000_000_000 });
  await jsm.consumers.add(stream, { durable_name: stream, ack_policy: AckPolicy.Explicit, max_ack_pending: 1_000, filter_subject: tag });
  const consumer = await jetstream(service).consumers.get(stream, stream);
  const messages = await consumer.consume({ max_messages: 64 });
  const loop = (async () => {
    for await (const m of messages) {
      const event = JSON.parse(m.string()) as BenchEvent;
      if (event.type === 'OrderPlaced') counter.hit();
      m.ack();
    }
  })();
  const rpc = service.subscribe(`${tag}.rpc`, {
    queue: tag,
    callback: (error: Error | null, msg: Msg) => {
      if (error) return;
      const event = JSON.parse(msg.string()) as BenchEvent;
      msg.respond(JSON.stringify({ type: 'Pong', payload: event.payload }));
    },
  });
  const js = jetstream(client);
  let next = 0;
  return {
    emit: { emit: event => js.publish(tag, JSON.stringify(event), { msgID: `${tag}-${next++}` }), processed: counter },
    send: { send: async event => (await client.request(`${tag}.rpc`, JSON.stringify(event), { timeout: SEND_TIMEOUT })).json<BenchEvent>() },
    close: async () => {
      await client.drain().catch(() => undefined);
      rpc.unsubscribe();
      await messages.close().catch(() => undefined);
      await loop.catch(() => undefined);
      await jsm.streams.delete(stream).catch(() => undefined);
      await service.drain().catch(() => undefined);
    },
  };
};

/** `@nestjs/microservices` loaded on first use (only the NestJS cells load it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nestTransport = () => (require('@nestjs/microservices') as typeof NestMicroservices).Transport;

/**
 * NestJS 12 `Transport.NATS` (the `nats` v2 client), a queue group per cell; the patterns
 * (subjects) carry the cell's tag. Core NATS only: an event goes to the subscribers connected
 * at that moment and is lost otherwise (at-most-once, nothing stored, no acknowledgement),
 * `emit` resolves once written to the socket; requests are core request/reply.
 */
export const nestNats = (tag: string): Promise<BenchSystem> => {
  const options = { transport: nestTransport().NATS, options: { servers: NATS_URL, queue: tag } } as const;
  return nestService(options, options, false, `${tag}.`);
};

/**
 * Moleculer 0.15 NATS transporter (the `nats` v2 client), default options: core NATS
 * publish/subscribe for events and requests, at-most-once, `emit` resolves once written.
 */
export const moleculerNats = (tag: string): Promise<BenchSystem> => moleculerService(NATS_URL, tag);

const NATS_SYSTEMS: Record<string, (tag: string) => Promise<BenchSystem>> = {
  tributary: tributaryNats,
  raw: rawNats,
  layer: natsLayer,
  nest: nestNats,
  moleculer: moleculerNats,
};

/** Why Marble.js is absent from the NATS and MQTT rows. */
export const MARBLE_ABSENT = 'Marble.js 4.1 has no NATS/MQTT transport';

/** The NATS systems, with how many operations each makes per run. */
export const natsSystems = (n: { tributary: number; raw: number; nest?: number; moleculer?: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'Transport.NATS (JetStream)', n: n.tributary, unavailable: () => environment.nats ?? environment.tributaryNats },
  { id: 'raw', side: 'raw', label: '@nats-io/jetstream', n: n.raw, unavailable: () => environment.nats },
  { id: 'layer', side: 'raw', breakdown: true, label: "Tributary's transport layer alone", n: n.tributary, unavailable: () => environment.nats },
  { id: 'nest', side: 'nest', label: 'NestJS NATS', n: n.nest ?? n.raw, unavailable: () => environment.nats },
  { id: 'moleculer', side: 'moleculer', label: 'Moleculer NATS', n: n.moleculer ?? n.raw, unavailable: () => environment.nats },
];

/** Starts a NATS system on fresh subjects and streams, runs `fn` on it, closes it and deletes its streams. */
export const withNatsSystem = <T>(systemId: string, tag: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = NATS_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown NATS system "${systemId}"`);
  return withSystem(() => start(tag), fn);
};
