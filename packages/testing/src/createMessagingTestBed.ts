import { bindTo, BoundDependency, ContextProvider, Event, getDeliveryTracker, LoggerToken, lookup } from '@tributary/core';
import {
  createMicroservice,
  DeliveryOptions,
  EVENT_BUS_CHANNEL,
  EventBus,
  EventBusClient,
  EventBusClientToken,
  EventBusToken,
  LocalBroker,
  LocalDeadLetter,
  MessagingClient,
  messagingListener,
  MicroserviceConnection,
  Transport,
} from '@tributary/messaging';
import { firstValueFrom, Observable, ReplaySubject } from 'rxjs';
import { recordingClient } from './internal/recordingClient';
import { createTestLogger } from './internal/testLogger';
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
 * What {@link createMessagingTestBed} takes.
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
 * A listener running on its own in-process broker, and the means to talk to it and watch it.
 * @since 0.1.0
 * @category test bed
 */
export interface MessagingTestBed {
  /** Request / reply: resolves with the reply, rejects with the remote error or `TimeoutError`. */
  send<R extends Event = Event>(event: Event): Promise<R>;
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
  /** Resolves once nothing is in flight, queued or waiting for a retry; rejects after `timeout` ms. */
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
  /** The isolated broker (queues, `depth(channel)`, dead letters). */
  readonly broker: LocalBroker;
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
export const createMessagingTestBed = async (config: MessagingTestBedConfig): Promise<MessagingTestBed> => {
  const { drainTimeout, ...options } = { ...DEFAULT_MESSAGING_TEST_BED_OPTIONS, ...config.options };
  const broker = new TestBroker();
  const transportOptions = { ...options, broker };
  let started!: (bus: EventBus) => void;
  const bus = new Promise<EventBus>(resolve => (started = resolve));

  const outputs = new ReplaySubject<Event>();
  const sent: Event[] = [];
  const record = (event: Event) => {
    sent.push(event);
    outputs.next(event);
  };

  const microservice = await createMicroservice({
    transport: Transport.LOCAL,
    options: transportOptions,
    listener: config.listener,
    dependencies: [
      bindTo(LoggerToken)(createTestLogger),
      // the bed is the bus its effects talk to (resolved once it listens), and it records what they send there
      bindTo(EventBusToken)(() => bus),
      bindTo(EventBusClientToken)(context => recordingClient(EventBusClient(context), record)),
      ...(config.dependencies ?? []),
    ],
  });
  const connection = await microservice();
  started(Object.assign(connection, { context: microservice.context }) as EventBus);

  // inputs carry their delivery's tracker; what the service sends does not
  connection.event$.subscribe(event => {
    if (!getDeliveryTracker(event)) record(event);
  });
  const client = await MessagingClient({ transport: Transport.LOCAL, options: transportOptions })(microservice.context);
  const idle = (timeout = options.timeout) => waitUntilIdle(connection, broker, options.channel, timeout);

  let closing: Promise<void> | undefined;
  return {
    send: event => firstValueFrom(client.send(event)),
    emit: event => client.emit(event),
    publish: event => client.publish(event),
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
    ask: lookup(microservice.context),
    connection,
    client,
    broker,
    close: () =>
      (closing ??= (async () => {
        await connection.close({ drainTimeout });
        await client.close();
        outputs.complete();
        broker.reset();
      })()),
  };
};
