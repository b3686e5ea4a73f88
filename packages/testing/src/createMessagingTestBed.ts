import { BoundDependency, ContextProvider, Event, lookup, ReplyOf } from '@tributary/core';
import { DeliveryOptions, EVENT_BUS_CHANNEL, LocalBroker, LocalDeadLetter, MessagingClient, messagingListener, MicroserviceConnection } from '@tributary/messaging';
import { firstValueFrom, Observable, ReplaySubject } from 'rxjs';
import { RunningService, startService } from './internal/startService';
import { TestBroker } from './internal/TestBroker';
import { waitUntilIdle } from './internal/waitUntilIdle';

/**
 * Options of {@link createMessagingTestBed}: the local transport's, with test defaults.
 * @since 0.1.0
 * @category test bed
 */
export interface MessagingTestBedOptions extends DeliveryOptions {
  /** The service's channel. Default `event_bus`, so that the bed also stands in for the EventBus. */
  channel?: string;
  /** How long `close()` lets in-flight events finish, ms. Default 1000. */
  drainTimeout?: number;
}

/**
 * The defaults of a test bed: a `send` gives up well before jest's 5 s test timeout, every
 * published type reaches the service, and retries keep the production count with short
 * delays.
 * @since 0.1.0
 * @category test bed
 */
export const DEFAULT_MESSAGING_TEST_BED_OPTIONS = {
  channel: EVENT_BUS_CHANNEL,
  timeout: 4000,
  subscribe: ['#'] as readonly string[],
  retry: { maxAttempts: 5, initialDelay: 5, maxDelay: 50, factor: 2 },
  drainTimeout: 1000,
};

/**
 * What {@link createMessagingTestBed} takes for one service.
 * @since 0.1.0
 * @category test bed
 */
export interface MessagingTestBedConfig {
  listener: ReturnType<typeof messagingListener>;
  /** Bindings of the service; the last binding of a token wins, so put per-test overrides last. */
  dependencies?: ReadonlyArray<BoundDependency<any> | undefined | null>;
  options?: MessagingTestBedOptions;
}

/**
 * One service of a test bed of several ({@link MessagingTestBedServicesConfig}).
 * @since 0.2.0
 * @category test bed
 */
export interface MessagingTestBedService {
  listener: ReturnType<typeof messagingListener>;
  /** Bindings of this service, after the bed's shared ones. */
  dependencies?: ReadonlyArray<BoundDependency<any> | undefined | null>;
  /**
   * This service's options, over the bed's. `channel` defaults to the service's name, and
   * `subscribe` to none: list the event types it takes from `publish`, as in production.
   */
  options?: MessagingTestBedOptions;
}

/**
 * What {@link createMessagingTestBed} takes for several services on one in-process broker:
 * a fan-out or a saga across services, tested as one.
 * @since 0.2.0
 * @category test bed
 */
export interface MessagingTestBedServicesConfig {
  /** The services by name; the first one is the target of the bed's own `send` and `emit`. */
  services: Readonly<Record<string, MessagingTestBedService>>;
  /** Bindings every service gets (each service's own come after). */
  dependencies?: ReadonlyArray<BoundDependency<any> | undefined | null>;
  /** Options every service gets (timeouts, retries); `channel` and `subscribe` are per service. */
  options?: MessagingTestBedOptions;
}

/**
 * Request / reply, typed: the reply type comes from the request's definition when it
 * declared its reply codec (`event('GetPrice', { reply: Price })`), else from `R` (default
 * `Event`).
 * @since 0.2.0
 * @category test bed
 */
export type TestBedSend = <R extends Event = never, E extends Event = Event>(event: E) => Promise<[R] extends [never] ? ReplyOf<E> : R>;

/**
 * One service of a bed: talk to it, look up its dependencies.
 * @since 0.2.0
 * @category test bed
 */
export interface MessagingTestBedServiceHandle {
  /** Request / reply to this service; resolves with the reply, rejects with the remote error. */
  send: TestBedSend;
  /** To this service's queue; resolves once the broker took it. */
  emit(event: Event): Promise<void>;
  readonly channel: string;
  readonly ask: ContextProvider;
  readonly connection: MicroserviceConnection;
  readonly client: MessagingClient;
}

/**
 * A listener running on its own in-process broker, and the means to talk to it and watch it.
 * @since 0.1.0
 * @category test bed
 */
export interface MessagingTestBed {
  /**
   * Request / reply: resolves with the reply, rejects with the remote error or `TimeoutError`.
   * Typed by the request's definition when it declared its reply codec (see {@link TestBedSend}).
   */
  send: TestBedSend;
  /** To the service's queue; resolves once the broker took it (use `idle()` to wait for the work). */
  emit(event: Event): Promise<void>;
  /** Fan-out to subscribed services (the bed subscribes to everything unless `options.subscribe` says otherwise). */
  publish(event: Event): Promise<void>;
  /**
   * Every event the service sent, from the start, then live: what its effects returned
   * (replies, error replies, other events) and what they sent, emitted or published through
   * `EventBusClientToken`.
   */
  readonly outputs$: Observable<Event>;
  /** Waits until the bed is idle, then gives every event the service sent so far. */
  collect(): Promise<Event[]>;
  /** Resolves once nothing is in flight, queued or waiting for a retry, in any service; rejects after `timeout` ms. */
  idle(timeout?: number): Promise<void>;
  /** The messages dead-lettered so far, with why (`info.reason`, `info.error`, `info.attempts`). */
  readonly deadLetters: LocalDeadLetter[];
  /** Every dead letter, as it happens. */
  readonly deadLetter$: Observable<LocalDeadLetter>;
  /** Looks up the service's dependencies. */
  readonly ask: ContextProvider;
  /** The service's connection (`inFlight`, `event$`, ...). */
  readonly connection: MicroserviceConnection;
  /** The client behind `send`/`emit`/`publish` (its `send` returns an Observable). */
  readonly client: MessagingClient;
  /** The isolated broker (queues, `depth(channel)`, dead letters), shared by the services. */
  readonly broker: LocalBroker;
  /** One service of a bed of several, by name (with one service: its channel). @since 0.2.0 */
  service(name: string): MessagingTestBedServiceHandle;
  /** Drains and stops the service; idempotent. */
  close(): Promise<void>;
}

/**
 * Runs a messaging listener on an isolated in-process broker (`Transport.LOCAL`), with the
 * full delivery machinery (acknowledgement after the work, retries, dead letters), and gives
 * a client and a recorder of everything the effects sent. Effects that use
 * `EventBusClientToken` reach the bed itself, as they would reach the `EventBus` (bind your
 * own publisher tokens to `EventBusClient` in a test to route their traffic there too). The logger
 * is silent unless `LOG_LEVEL` is set. Needs no global setup; close it after each test.
 *
 * @example
 * ```ts
 * import { act, bindTo, createContextToken, matchEvent, useContext } from '@tributary/core';
 * import { messagingListener, MsgEffect, reply } from '@tributary/messaging';
 * import { createMessagingTestBed, MessagingTestBed } from '@tributary/testing';
 *
 * const Rates = createContextToken<{ eurUsd: number }>('Rates');
 * const convert$: MsgEffect = (event$, ctx) => {
 *   const rates = useContext(Rates)(ctx.ask);
 *   return event$.pipe(
 *     matchEvent('Convert'),
 *     act(e => reply(e)({ type: 'Converted', payload: (e.payload as number) * rates.eurUsd })),
 *   );
 * };
 * const listener = messagingListener({ effects: [convert$] });
 * const dependencies = [bindTo(Rates)({ eurUsd: 1.1 })];
 *
 * describe('convert$', () => {
 *   let bed: MessagingTestBed;
 *   afterEach(() => bed.close());
 *
 *   it('converts at the bound rate', async () => {
 *     bed = await createMessagingTestBed({ listener, dependencies });
 *     expect(await bed.send({ type: 'Convert', payload: 10 })).toMatchObject({ payload: 11 });
 *   });
 *
 *   it('uses an overridden rate', async () => {
 *     bed = await createMessagingTestBed({ listener, dependencies: [...dependencies, bindTo(Rates)({ eurUsd: 2 })] });
 *     expect(await bed.send({ type: 'Convert', payload: 10 })).toMatchObject({ payload: 20 });
 *   });
 * });
 * ```
 * @param config - the `listener`, its `dependencies`, and local transport `options`
 * @return the started bed
 * @since 0.1.0
 * @category test bed
 */
export async function createMessagingTestBed(config: MessagingTestBedConfig): Promise<MessagingTestBed>;
export async function createMessagingTestBed(config: MessagingTestBedServicesConfig): Promise<MessagingTestBed>;
export async function createMessagingTestBed(config: MessagingTestBedConfig | MessagingTestBedServicesConfig): Promise<MessagingTestBed> {
  const several = 'services' in config;
  const { drainTimeout, ...options } = { ...DEFAULT_MESSAGING_TEST_BED_OPTIONS, ...config.options };
  const broker = new TestBroker();
  const outputs = new ReplaySubject<Event>();
  const sent: Event[] = [];
  const record = (event: Event) => {
    sent.push(event);
    outputs.next(event);
  };

  const specs: Array<[string, MessagingTestBedService]> = several
    ? Object.entries(config.services)
    : [[options.channel, { listener: config.listener, dependencies: config.dependencies ?? [] }]];
  if (specs.length === 0) throw new Error('createMessagingTestBed: `services` is empty; give at least one service ({ name: { listener } }).');
  const running: Array<[string, RunningService]> = [];
  try {
    for (const [name, spec] of specs) {
      const own: MessagingTestBedOptions = several ? { channel: name, subscribe: [], ...spec.options } : {};
      const { drainTimeout: _ignored, ...serviceOptions } = { ...options, ...own };
      const dependencies = [...(several ? (config.dependencies ?? []) : []), ...(spec.dependencies ?? [])];
      running.push([name, await startService(spec.listener, dependencies, { ...serviceOptions, broker }, record)]);
    }
  } catch (error) {
    await Promise.all(running.map(([, service]) => service.connection.close({ drainTimeout: 0 }).then(() => service.client.close())));
    throw error;
  }
  const services = new Map(running);
  const [, first] = running[0];
  const idle = (timeout = options.timeout) => waitUntilIdle([...services.values()], broker, timeout);
  const sendTo = (client: MessagingClient): TestBedSend => event => firstValueFrom(client.send(event)) as never;
  const handle = (name: string): MessagingTestBedServiceHandle => {
    const service = services.get(name);
    if (!service) throw new Error(`The test bed has no service "${name}"; it has ${[...services.keys()].join(', ')}.`);
    return {
      send: sendTo(service.client),
      emit: event => service.client.emit(event),
      channel: service.channel,
      ask: lookup(service.context),
      connection: service.connection,
      client: service.client,
    };
  };

  let closing: Promise<void> | undefined;
  return {
    send: sendTo(first.client),
    emit: event => first.client.emit(event),
    publish: event => first.client.publish(event),
    outputs$: outputs.asObservable(),
    collect: async () => {
      await idle();
      return [...sent];
    },
    idle,
    get deadLetters() {
      return broker.getDeadLetters();
    },
    deadLetter$: broker.deadLetter$.asObservable(),
    ask: lookup(first.context),
    connection: first.connection,
    client: first.client,
    broker,
    service: handle,
    close: () =>
      (closing ??= (async () => {
        await Promise.all([...services.values()].map(service => service.connection.close({ drainTimeout })));
        await Promise.all([...services.values()].map(service => service.client.close()));
        outputs.complete();
        broker.reset();
      })()),
  };
}
