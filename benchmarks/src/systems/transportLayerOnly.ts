import { randomUUID } from 'node:crypto';
import { jsonTransformer, provideTransportLayer, TransportMessage, TransportWire } from '@tributary/messaging/transport';
import { BenchEvent, Counter } from '../harness/drive';
import type { TributaryStarter } from './messagingSystems';

interface Framed {
  type: string;
  payload: unknown;
  metadata: Record<string, unknown>;
}

/** Frames an event as the messaging layer does for `wire` (a JSON envelope, a JSON body, or the object). */
const frame = (wire: TransportWire, event: Framed): unknown =>
  wire === 'object' ? event : wire === 'envelope' ? jsonTransformer.encode(event) : jsonTransformer.encode({ type: event.type, payload: event.payload });

/** A transport message carrying `event`'s metadata in its routing fields, as the messaging layer builds one. */
const message = (wire: TransportWire, event: Framed): TransportMessage => {
  const { id, correlationId, replyTo, timestamp, causationId } = event.metadata as Record<string, string & number>;
  return { data: frame(wire, event), messageId: id, correlationId, replyTo, type: event.type, timestamp, causationId };
};

/**
 * Tributary's transport layer alone, without the messaging layer above it: the connection
 * of `transport` (the same adapter, wire format and settlement calls Tributary's services
 * use), driven by a plain loop instead of effects — decode, count or reply, acknowledge. It
 * splits the framework's overhead in two: raw client → this is the adapter (and the wire
 * format); this → Tributary is the messaging layer (effects, delivery machine, client).
 */
export const tributaryTransportLayer: TributaryStarter = async (transport, options, cleanup, settled) => {
  const counter = new Counter();
  const layer = provideTransportLayer(transport, options);
  const { wire, channel, timeout, framesRequests } = layer.config;
  const service = await layer.connect({ isConsumer: true });
  const client = await layer.connect({ isConsumer: false });
  const decode = (incoming: TransportMessage): Framed =>
    (wire === 'object' ? incoming.data : jsonTransformer.decode(incoming.data as Buffer)) as Framed;
  const subscription = service.message$.subscribe(incoming => {
    const event = decode(incoming);
    if (event.type === 'OrderPlaced') counter.hit();
    else if (event.type === 'Ping') {
      // routing comes in the transport's fields, or (an `envelope` wire) inside the envelope
      const replyTo = incoming.replyTo ?? (event.metadata?.replyTo as string | undefined);
      const reply: Framed = {
        type: 'Pong',
        payload: event.payload,
        // a reply keeps the request's address (Redis pub/sub routes the reply to its call by it)
        metadata: {
          id: randomUUID(),
          timestamp: Date.now(),
          correlationId: incoming.correlationId ?? event.metadata?.correlationId,
          causationId: incoming.messageId ?? event.metadata?.id,
          replyTo,
        },
      };
      if (replyTo) void service.emitMessage(replyTo, message(wire, reply)).catch(() => undefined);
    }
    void service.ackMessage(incoming);
  });
  const outgoing = (event: BenchEvent): Framed => {
    const id = randomUUID();
    return { type: event.type, payload: event.payload, metadata: { id, timestamp: Date.now(), correlationId: id } };
  };
  return {
    emit: { emit: event => client.emitMessage(channel, message(wire, outgoing(event))), processed: counter, settled },
    send: {
      send: async event => {
        const request = outgoing(event);
        const reframe = framesRequests
          ? (routing: { replyTo: string; correlationId: string }) => frame(wire, { ...request, metadata: { ...request.metadata, ...routing } })
          : undefined;
        const reply = await client.sendMessage(channel, message(wire, request), reframe ? { timeout, reframe } : { timeout });
        return decode(reply) as BenchEvent;
      },
    },
    close: async () => {
      subscription.unsubscribe();
      await client.close().catch(() => undefined);
      await service.close().catch(() => undefined);
      await cleanup();
    },
  };
};
