import type { Attributes, Counter, Histogram, Meter, ObservableResult, Tracer } from '@opentelemetry/api';
import { otelApi } from './otelApi';

/** The instrumentation scope every span and metric of Tributary's messaging is reported under. */
export const SCOPE = '@tributary/messaging';
const SCOPE_VERSION = '0.2.0';

/** The metric instruments, made once per registered meter provider. */
export interface Instruments {
  readonly sent: Counter;
  readonly consumed: Counter;
  readonly duration: Histogram;
  readonly retried: Counter;
  readonly deadLettered: Counter;
  readonly reconnects: Counter;
}

/** Something that is in flight right now (a delivery machine), read by the in-flight gauge. */
export interface InFlightSource {
  readonly attributes: Attributes;
  readonly inFlight: number;
}

const sources = new Set<InFlightSource>();
let tracerProvider: unknown;
let tracer: Tracer | undefined;
let meterProvider: unknown;
let instruments: Instruments | undefined;

/** Where `@opentelemetry/api` 1.x keeps what is registered; absent until something registers. */
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');
const registry = globalThis as { [GLOBAL_KEY]?: unknown };

const isNoop = (provider: unknown, name: string): boolean =>
  !provider || (provider as { constructor?: { name?: string } }).constructor?.name === name;

/**
 * The tracer, or `undefined` while no tracer provider is registered (or the API is not
 * installed). Checked on every call: a few property reads, no allocation, so a provider
 * registered after the service started is picked up.
 */
export const activeTracer = (): Tracer | undefined => {
  // nothing registered at all (the usual case without an SDK): one property read
  if (registry[GLOBAL_KEY] === undefined) return undefined;
  const api = otelApi();
  if (!api) return undefined;
  let provider: unknown = api.trace.getTracerProvider();
  const proxy = provider as { getDelegate?: () => unknown };
  if (typeof proxy.getDelegate === 'function') provider = proxy.getDelegate();
  if (provider !== tracerProvider) {
    tracerProvider = provider;
    tracer = isNoop(provider, 'NoopTracerProvider') ? undefined : api.trace.getTracer(SCOPE, SCOPE_VERSION);
  }
  return tracer;
};

const createInstruments = (meter: Meter): Instruments => {
  meter
    .createObservableUpDownCounter('tributary.messages.in_flight', { description: 'Received messages not settled yet.', unit: '{message}' })
    .addCallback((result: ObservableResult) => {
      for (const source of sources) result.observe(source.inFlight, source.attributes);
    });
  return {
    sent: meter.createCounter('messaging.client.sent.messages', { description: 'Messages a producer attempted to send.', unit: '{message}' }),
    consumed: meter.createCounter('messaging.client.consumed.messages', { description: 'Messages delivered to the application.', unit: '{message}' }),
    duration: meter.createHistogram('messaging.process.duration', { description: 'Time from dispatch to settlement of a message.', unit: 's' }),
    retried: meter.createCounter('tributary.messages.retried', { description: 'Failed messages scheduled for another attempt.', unit: '{message}' }),
    deadLettered: meter.createCounter('tributary.messages.dead_lettered', { description: 'Messages moved to the dead-letter destination.', unit: '{message}' }),
    reconnects: meter.createCounter('tributary.connection.reconnects', { description: 'Connections re-established after a loss.', unit: '{reconnect}' }),
  };
};

/** The metric instruments, or `undefined` while no meter provider is registered. */
export const activeInstruments = (): Instruments | undefined => {
  if (registry[GLOBAL_KEY] === undefined) return undefined;
  const api = otelApi();
  if (!api) return undefined;
  const provider = api.metrics.getMeterProvider();
  if (provider !== meterProvider) {
    meterProvider = provider;
    instruments = isNoop(provider, 'NoopMeterProvider') ? undefined : createInstruments(api.metrics.getMeter(SCOPE, SCOPE_VERSION));
  }
  return instruments;
};

/** Reports `source` on `tributary.messages.in_flight` until the returned function is called. */
export const observeInFlight = (source: InFlightSource): (() => void) => {
  sources.add(source);
  return () => sources.delete(source);
};

/** Counts a re-established connection on `tributary.connection.reconnects`. */
export const recordReconnect = (system: string, channel: string): void => {
  activeInstruments()?.reconnects.add(1, { 'messaging.system': system, 'messaging.destination.name': channel });
};
