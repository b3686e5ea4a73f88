import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** What `startTracing` registered: the finished spans, and how to stop. */
export interface Tracing {
  readonly exporter: InMemorySpanExporter;
  shutdown(): Promise<void>;
}

/**
 * Registers an OpenTelemetry tracer provider, an async context manager (so that spans started
 * after an `await` in a handler still have the handler's span as parent) and the W3C
 * propagators Tributary injects with. A real service would export to a collector (OTLP);
 * here the spans are kept in memory to print them, and also given to `extra` exporters
 * (e.g. `ConsoleSpanExporter`).
 */
export const startTracing = (extra: SpanExporter[] = []): Tracing => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [exporter, ...extra].map(e => new SimpleSpanProcessor(e)) });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  return {
    exporter,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
};
