import { oversize } from '../internal/messageSize';
import type { Context, Event, ReplyOf } from '@tributary/core';
import type { Reader } from 'fp-ts/Reader';
import { Observable } from 'rxjs';
import { fromTransportMessage, toTransportMessage } from '../internal/codec';
import { outgoingEvent } from '../internal/outputs';
import { replyError } from '../internal/replyError';
import type { Transport } from '../transport/Transport';
import { provideTransportLayer, TransportProvider } from '../transport/provideTransportLayer';
import type { TransportLayerConnection, TransportMessage, TransportMessageTransformer, TransportWire } from '../transport/transport.interface';
import { jsonTransformer } from '../transport/jsonTransformer';
import type { TransportOptions } from '../transport/TransportOptionsMap';
import { ConnectionClosedError } from '../errors/errors';
import type { HealthReport } from '../health/HealthReport';
import { ClientHealth } from '../internal/clientHealth';
import { transportName } from '../internal/transportName';
import { endWhenSent, ProducerSpan, startProducerSpan } from '../internal/telemetry/ProducerSpan';

/**
 * Talks to a service: `emit` (one consumer handles it), `send` (request / reply),
 * `publish` (every subscribed service gets a copy).
 * @since 0.1.0
 * @category client
 */
export interface MessagingClient {
  /** Sends to the service's channel; resolves once the broker took it. */
  emit: <T extends Event = Event>(event: T) => Promise<void>;
  /**
   * Request / reply: the reply, or an error (the remote `EventError`, a `RemoteError`,
   * `TimeoutError`). The reply is typed by the request's definition when it declared its
   * reply codec (`event('GetPrice', { reply: Price })`), else `R` (default `Event`).
   */
  send: <R extends Event = never, T extends Event = Event>(event: T) => Observable<[R] extends [never] ? ReplyOf<T> : R>;
  /** Fan-out to every service subscribed to `event.type`; resolves once the broker took it. */
  publish: <T extends Event = Event>(event: T) => Promise<void>;
  close: () => Promise<void>;
  /** The client's connection health, synchronously (`down` once closed). @since 0.2.0 */
  health: () => HealthReport;
}

/**
 * What `MessagingClient` takes: the transport, its options (the target `queue`/`channel`),
 * and the transformer.
 * @since 0.1.0
 * @category client
 */
export interface MessagingClientConfig<T extends Transport | TransportProvider = Transport | TransportProvider> {
  transport: T;
  /** The transport's options (the target service's `queue`/`channel`, `host`, ...), type-checked per transport. */
  options?: TransportOptions<T>;
  msgTransformer?: TransportMessageTransformer;
}

/** Builds the client API over a connection (shared by `MessagingClient` and `EventBusClient`). */
export const createClientApi = (
  connect: TransportLayerConnection | (() => Promise<TransportLayerConnection>),
  target: { channel: string; wire: TransportWire; timeout?: number; system?: string; transport?: string; maxMessageSize?: number; framesRequests?: boolean },
  transformer: TransportMessageTransformer,
): MessagingClient => {
  const health = new ClientHealth(target);
  // an open connection is used (and closed) as it is; a function connects on first use
  let connection: TransportLayerConnection | undefined = typeof connect === 'function' ? undefined : health.watch(connect);
  const ready = async () => (connection ??= health.watch(await (connect as () => Promise<TransportLayerConnection>)()));
  const system = target.system ?? target.transport ?? 'unknown';
  /** The PRODUCER span `frame` started (read right after it, synchronously). */
  let span: ProducerSpan | undefined;
  const frame = (event: Event, operation: 'send' | 'publish' = 'send', destination = target.channel) => {
    span = undefined;
    const out = outgoingEvent(event);
    span = startProducerSpan(system, operation, destination, out, event);
    return toTransportMessage(out, target.wire, transformer, true);
  };
  let closed = false;
  const isClosed = () => (closed ? Promise.reject(new ConnectionClosedError(target.channel, 'closed')) : undefined);
  const taken = (what: string) => (ok: boolean) => {
    if (!ok) throw new Error(`The broker refused the ${what} to "${target.channel}"`);
  };
  // made once, not per message: emit and publish are on the hot path
  const messageTaken = taken('message');
  const publicationTaken = taken('publication');
  /** Emits `message` to the channel, or publishes it to `topic`, unless it is over `maxMessageSize` (then `MessageTooLargeError`). */
  const deliver = (c: TransportLayerConnection, message: TransportMessage, topic?: string): Promise<boolean> => {
    const tooLarge = oversize(message.data, target.maxMessageSize, topic ?? target.channel);
    if (tooLarge) return Promise.reject(tooLarge);
    return topic === undefined ? c.emitMessage(target.channel, message) : c.publishMessage(topic, message);
  };
  return {
    // plain promise chains: emit is on the hot path, and an async function costs more
    emit: event => {
      if (closed) return isClosed()!;
      let message: TransportMessage;
      try {
        message = frame(event);
      } catch (error) {
        span?.end(error);
        return Promise.reject(error); // an unencodable event rejects, as an async function would
      }
      const sent = connection ? deliver(connection, message) : ready().then(c => deliver(c, message));
      return endWhenSent(span, sent.then(messageTaken));
    },
    publish: event => {
      if (closed) return isClosed()!;
      let message: TransportMessage;
      try {
        message = frame(event, 'publish', event.type);
      } catch (error) {
        span?.end(error);
        return Promise.reject(error);
      }
      const sent = connection ? deliver(connection, message, event.type) : ready().then(c => deliver(c, message, event.type));
      return endWhenSent(span, sent.then(publicationTaken));
    },
    // one Observable per call, not defer + map + mergeMap: send is on the hot path too
    send: <R extends Event>(event: Event) =>
      new Observable<R>(subscriber => {
        let active = true;
        const request = (conn: TransportLayerConnection): Promise<TransportMessage> => {
          const out = outgoingEvent(event);
          const producing = startProducerSpan(system, 'send', target.channel, out, event);
          const timeout = target.timeout ?? conn.config.timeout;
          // the envelope is the whole message: a transport that picks the reply address has it framed in
          const reframe =
            target.wire === 'envelope'
              ? (routing: { replyTo: string; correlationId: string }) => {
                  const data = toTransportMessage({ type: out.type, payload: out.payload, error: out.error, metadata: Object.assign({}, out.metadata, routing) }, target.wire, transformer, true).data;
                  const tooLarge = oversize(data, target.maxMessageSize, target.channel);
                  if (tooLarge) throw tooLarge;
                  return data;
                }
              : undefined;
          // such a transport never reads the first framing: the request is encoded once, in reframe
          const framed = reframe !== undefined && target.framesRequests === true;
          const message = toTransportMessage(out, framed ? 'object' : target.wire, transformer, true);
          const tooLarge = framed ? undefined : oversize(message.data, target.maxMessageSize, target.channel);
          if (tooLarge) {
            producing?.end(tooLarge);
            throw tooLarge;
          }
          return endWhenSent(producing, conn.sendMessage(target.channel, message, reframe ? { timeout, reframe } : { timeout }));
        };
        let sending: Promise<TransportMessage>;
        if (closed) sending = isClosed()!;
        else if (connection) {
          try {
            sending = request(connection);
          } catch (error) {
            sending = Promise.reject(error);
          }
        } else sending = ready().then(request);
        sending.then(
          answer => {
            if (!active) return;
            let reply: Event;
            try {
              reply = fromTransportMessage(answer, target.wire, transformer);
            } catch (error) {
              return subscriber.error(error);
            }
            if (reply.error !== undefined && reply.error !== null && reply.error !== false) return subscriber.error(replyError(reply));
            subscriber.next(reply as R);
            subscriber.complete();
          },
          error => {
            if (active) subscriber.error(error);
          },
        );
        return () => {
          active = false;
        };
      }),
    health: () => health.health(),
    close: async () => {
      closed = true;
      health.close();
      if (connection) await connection.close();
    },
  };
};

/**
 * A context reader resolving to a {@link MessagingClient} of a service.
 *
 * @example
 * ```ts
 * import { bindEagerlyTo, contextFactory, createContextToken, lookup, useContext } from '@tributary/core';
 * import { MessagingClient, Transport } from '@tributary/messaging';
 * import { firstValueFrom } from 'rxjs';
 *
 * const FibClient = createContextToken<MessagingClient>('FibClient');
 * const context = await contextFactory(
 *   bindEagerlyTo(FibClient)(MessagingClient({ transport: Transport.LOCAL, options: { channel: 'fib', timeout: 5000 } })),
 * );
 * const client = useContext(FibClient)(lookup(context));
 * const reply = await firstValueFrom(client.send({ type: 'FIB', payload: 10 }));
 * ```
 * @since 0.1.0
 * @category client
 */
export const MessagingClient =
  <T extends Transport | TransportProvider>(config: MessagingClientConfig<T>): Reader<Context, Promise<MessagingClient>> =>
  async _context => {
    const layer = provideTransportLayer(config.transport, config.options);
    const connection = await layer.connect({ isConsumer: false });
    return createClientApi(
      connection,
      {
        channel: layer.config.channel,
        wire: layer.config.wire,
        timeout: layer.config.timeout,
        system: layer.config.system,
        transport: transportName(layer.type),
        maxMessageSize: layer.config.maxMessageSize,
        framesRequests: layer.config.framesRequests,
      },
      config.msgTransformer ?? jsonTransformer,
    );
  };
