import { bindEagerlyTo, bindTo, contextFactory, lookup, useContext } from '@tributary/core';
import { createMicroservice, EventBus, EventBusClient, EventBusClientToken, EventBusToken, LocalBroker, MessagingClient, Transport } from '@tributary/messaging';
import * as M from '@marblejs/core';
import * as MM from '@marblejs/messaging';
import { randomUUID } from 'node:crypto';
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

/**
 * The floor doing the per-message work Tributary's bus does beside the effect logic, in a
 * plain loop: each message gets a metadata object with a UUID and the time (and a correlation
 * id, a reply address, a cause), waits in a queue drained in a microtask (delivery is never
 * re-entrant), is recorded in flight until settled, and each `send` has a timeout timer and
 * gets its reply in a microtask. No RxJS per message, no effects, no delivery machine: what is
 * left between this and Tributary is the framework itself.
 */
export const rawRxjsSameWork = async (): Promise<BenchSystem> => {
  const counter = new Counter();
  type Message = { type: string; payload: unknown; metadata: Record<string, unknown> };
  const inFlight = new Map<object, Message>();
  const pending = new Map<string, { resolve: (reply: BenchEvent) => void; timer: NodeJS.Timeout }>();
  const events = new Subject<Message>();
  const replies = new Subject<Message>();
  const subscription = events.subscribe(message => {
    const delivery = {};
    inFlight.set(delivery, message);
    if (message.type === 'OrderPlaced') counter.hit();
    else if (message.type === 'Ping') {
      const id = randomUUID();
      const reply: Message = {
        type: 'Pong',
        payload: message.payload,
        metadata: { id, timestamp: Date.now(), correlationId: message.metadata.correlationId, causationId: message.metadata.id },
      };
      queueMicrotask(() => replies.next(reply));
    }
    inFlight.delete(delivery);
  });
  subscription.add(
    replies.subscribe(reply => {
      const call = pending.get(reply.metadata.correlationId as string);
      if (!call) return;
      pending.delete(reply.metadata.correlationId as string);
      clearTimeout(call.timer);
      call.resolve(reply as BenchEvent);
    }),
  );
  const queue: Message[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    for (let i = 0; i < queue.length; i++) events.next(queue[i]);
    queue.length = 0;
  };
  const enqueue = (message: Message) => {
    queue.push(message);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(drain);
    }
  };
  const withMetadata = (event: BenchEvent, replyTo?: string): Message => {
    const id = randomUUID();
    return { type: event.type, payload: event.payload, metadata: replyTo ? { id, timestamp: Date.now(), correlationId: id, replyTo } : { id, timestamp: Date.now(), correlationId: id } };
  };
  return {
    emit: {
      emit: event => {
        enqueue(withMetadata(event));
        return Promise.resolve(true);
      },
      processed: counter,
    },
    send: {
      send: event =>
        new Promise((resolve, reject) => {
          const message = withMetadata(event, 'bench.reply');
          const correlationId = message.metadata.correlationId as string;
          const timer = setTimeout(() => {
            pending.delete(correlationId);
            reject(new Error('timed out'));
          }, SEND_TIMEOUT);
          pending.set(correlationId, { resolve, timer });
          enqueue(message);
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
  'raw-same-work': rawRxjsSameWork,
  marble: marbleEventBus,
};

/** The four local systems, with how many operations each makes per run. */
export const localSystems = (n: { tributary: number; raw: number; marble: number }): SystemSpec[] => [
  { id: 'tributary', side: 'tributary', label: 'EventBus', n: n.tributary },
  { id: 'tributary-ms', side: 'tributary', label: 'microservice, Transport.LOCAL', n: n.tributary },
  { id: 'raw', side: 'raw', label: 'RxJS Subject → filter → map', n: n.raw },
  { id: 'raw-same-work', side: 'raw', breakdown: true, label: "a plain loop doing Tributary's per-message work", n: n.raw },
  { id: 'marble', side: 'marble', label: 'Marble.js EventBus', n: n.marble },
];

/** Starts a local system, runs `fn` on it, closes it. */
export const withLocalSystem = <T>(systemId: string, fn: (system: BenchSystem) => Promise<T>): Promise<T> => {
  const start = LOCAL_SYSTEMS[systemId];
  if (!start) throw new Error(`unknown local system "${systemId}"`);
  return withSystem(start, fn);
};
