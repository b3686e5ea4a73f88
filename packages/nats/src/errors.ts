/**
 * A `send` found no service listening on the channel: NATS answers a request nobody
 * subscribes to at once (no responders) instead of letting it time out.
 *
 * @example
 * ```ts
 * import { NatsNoRespondersError } from '@tributary/nats';
 * // client.send(GetOrder.create({ id: 1 })).catch(e => e instanceof NatsNoRespondersError)
 * new NatsNoRespondersError('orders').name; // 'NatsNoRespondersError'
 * ```
 * @since 0.2.0
 * @category nats
 */
export class NatsNoRespondersError extends Error {
  override readonly name = 'NatsNoRespondersError';

  constructor(readonly channel: string) {
    super(
      `No service listens on "${channel}" (NATS subject "${channel}.rpc"): start a microservice with channel "${channel}" ` +
        'or check the channel name. Requests are not kept for a service that is down; use emit for that.',
    );
  }
}

/**
 * The NATS server refused to set up a stream or consumer this transport needs (an existing
 * stream with other settings, JetStream disabled, a permission missing).
 *
 * @example
 * ```ts
 * import { NatsTopologyError } from '@tributary/nats';
 * new NatsTopologyError('stream "orders"', new Error('insufficient resources')).message;
 * ```
 * @since 0.2.0
 * @category nats
 */
export class NatsTopologyError extends Error {
  override readonly name = 'NatsTopologyError';

  constructor(
    what: string,
    override readonly cause: unknown,
  ) {
    super(
      `Cannot set up ${what} on the NATS server: ${(cause as Error)?.message ?? String(cause)}. ` +
        'Check that JetStream is enabled (nats-server -js), that no other stream captures the same subjects with ' +
        'different settings, or pass `stream` / `durable` options naming ones that fit.',
    );
  }
}
