import { bindEagerlyTo, bindTo, contextFactory, lookup, useContext } from '@tributary/core';
import { createMicroservice, EventBus, EventBusClient, EventBusClientToken, EventBusToken, LocalBroker, MessagingClient, Transport } from '@tributary/messaging';
import * as M from '@marblejs/core';
import * as MM from '@marblejs/messaging';
import { filter, firstValueFrom, map, Subject } from 'rxjs';
import { BenchEvent, BenchSystem, Counter, withSystem } from '../harness/drive';
import type { SystemSpec } from '../harness/types';
import { marbleListener, marbleQuietLogger, SEND_TIMEOUT, tributaryListener } from './effects';

/** Tributary's in-process bus: `EventBus` + `EventBusClient`. */
export const tributaryEventBus = async (): Promise<BenchSystem> => {
  const counter = new Counter();
  const context = await contextFactory(
    bindTo(EventBusClientToken)(EventBusClient),
    bindEagerlyTo(EventBusToken)(EventBus({ listener: tributaryListener(counter), timeout: SEND_TIMEOUT })),
  );
  const bus = useContext(EventBusClientToken)(lookup(context));
  const eventBus = useContext(EventBusToken)(lookup(context));
  return {
    emit: { emit: event => bus.emit(event), processed: counter },
    send: { send: event => firstValueFrom(bus.send(event)) as Promise<BenchEvent> },
    close: () => eventBus.close({ drainTimeout: 1000 }),
  };
};

/** Tributary's microservice on `Transport.LOCAL`, talked to by a `MessagingClient`. */
export const tributaryLocalMicroservice = async (): Promise<BenchSystem> => {
  const counter = new Counter();
  const broker = new LocalBroker();
  const options = { channel: 'bench', broker, timeout: SEND_TIMEOUT };
  const microservice = await createMicroservice({ transport: Transport.LOCAL, options, listener: tributaryListener(counter) });
  const connection = await microservice();
  const client = await MessagingClient({ transport: Transport.LOCAL, options })(microservice.context);
  return {
    emit: { emit: event => client.emit(event), processed: counter },
    send: { send: event => firstValueFrom(client.send(event)) as Promise<BenchEvent> },
    close: async () => {
      await client.close();
      await connection.close({ drainTimeout: 1000 });
    },
  };
};

/** The floor: a plain RxJS Subject → filter → map pipeline, and a correlation map for replies. */
export const rawRxjs = async (): Promise<BenchSystem> => {
  const counter = new Counter();
  const events = new Subject<BenchEvent>();
  const subscription = events
    .pipe(
      filter(event => event.type === 'OrderPlaced'),
      map(event => event.payload),
    )
    .subscribe(() => counter.hit());
  const requests = new Subject<BenchEvent>();
  const pending = new Map<number, (reply: BenchEvent) => void>();
  let next = 0;
  subscription.add(
    requests
      .pipe(
        filter(event => event.type === 'Ping'),
        map(event => ({ type: 'Pong', payload: event.payload, metadata: { correlationId: event.metadata!.correlationId } })),
      )
      .subscribe(reply => {
        const id = reply.metadata.correlationId as number;
        const resolve = pending.get(id);
        pending.delete(id);
        resolve?.(reply);
      }),
  );
  return {
    emit: { emitSync: event => events.next(event), processed: counter },
    send: {
      send: event =>
        new Promise(resolve => {
          const id = next++;
          pending.set(id, resolve);
          requests.next({ ...event, metadata: { correlationId: id } });
        }),
    },
    close: async () => subscription.unsubscribe(),
  };
};

/** Marble.js 4.1.0's EventBus + EventBusClient, with its logger silenced (its default prints every event). */
export const marbleEventBus = async (): Promise<BenchSystem> => {
  const counter = new Counter();
  const listener = marbleListener(counter);
  const context = await M.contextFactory(
    marbleQuietLogger,
    M.bindEagerlyTo(MM.EventBusClientToken)(MM.EventBusClient),
    M.bindEagerlyTo(MM.EventBusToken)(MM.EventBus({ listener, timeout: SEND_TIMEOUT } as any)),
  );
  const bus = M.useContext(MM.EventBusClientToken)(M.lookup(context));
  return {
    emit: { emit: event => bus.emit(event), processed: counter },
    send: { send: event => firstValueFrom(bus.send(event)) as Promise<BenchEvent> },
    close: () => bus.close(),
  };
};

/** Local systems by id, as the local workloads name them. */
export const LOCAL_SYSTEMS: Record<string, () => Promise<BenchSystem>> = {
  tributary: tributaryEventBus,
  'tributary-ms': tributaryLocalMicroservice,
  raw: rawRxjs,
  marble: marbleEventBus,
};

/** The four local systems, with how many operations each makes per run. */
export const localSystems = (n: { tributary: number; raw: number; marble: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'EventBus', n: n.tributary },
  { id: 'tributary-ms', side: 'tributary', label: 'microservice, Transport.LOCAL', n: n.tributary },
  { id: 'raw', side: 'raw', label: 'RxJS Subject → filter → map', n: n.raw },
  { id: 'marble', side: 'marble', label: 'Marble.js EventBus', n: n.marble },
];

/** Starts a local system, runs `fn` on it, closes it. */
export const withLocalSystem = <T>(systemId: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = LOCAL_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown local system "${systemId}"`);
  return withSystem(start, fn);
};
