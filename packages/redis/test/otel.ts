/** OpenTelemetry SDK set up for tests: in-memory spans, metrics read on demand, W3C propagation. */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

class TestReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface TestOtel {
  readonly exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  /** The summed value of a counter (or histogram count) over data points matching `where`. */
  metric(name: string, where?: Record<string, unknown>): Promise<number>;
  shutdown(): Promise<void>;
}

export const registerOtel = (options: { metrics?: boolean } = {}): TestOtel => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  const reader = new TestReader();
  const meterProvider = options.metrics === false ? undefined : new MeterProvider({ readers: [reader] });
  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    metric: async (name, where = {}) => {
      const { resourceMetrics } = await reader.collect();
      let total = 0;
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const m of scope.metrics) {
          if (m.descriptor.name !== name) continue;
          for (const point of m.dataPoints as Array<{ attributes: Record<string, unknown>; value: unknown }>) {
            if (!Object.entries(where).every(([k, v]) => point.attributes[k] === v)) continue;
            total += m.dataPointType === DataPointType.HISTOGRAM ? (point.value as { count: number }).count : (point.value as number);
          }
        }
      }
      return total;
    },
    shutdown: async () => {
      await provider.shutdown();
      await meterProvider?.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
      propagation.disable();
    },
  };
};

/** The span named `name` (the only one, or the `index`th). */
export const spanNamed = (spans: ReadableSpan[], name: string, index = 0): ReadableSpan => {
  const found = spans.filter(s => s.name === name);
  if (!found[index]) throw new Error(`no span "${name}" #${index}; spans: ${spans.map(s => s.name).join(', ')}`);
  return found[index];
};

/** The parent span id of a span (SDK 2: `parentSpanContext`). */
export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
