import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

const KIND: Record<number, string> = { [SpanKind.PRODUCER]: 'producer', [SpanKind.CONSUMER]: 'consumer', [SpanKind.CLIENT]: 'client', [SpanKind.INTERNAL]: 'internal' };

const millis = (span: ReadableSpan): number => span.duration[0] * 1000 + span.duration[1] / 1e6;
const startOf = (span: ReadableSpan): number => span.startTime[0] * 1e9 + span.startTime[1];

/**
 * The spans of one trace as an indented tree, one line per span: name, kind, duration, and
 * `messaging.system` where it is set. Children are in start order.
 */
export const traceTree = (spans: ReadableSpan[]): string[] => {
  const ids = new Set(spans.map(s => s.spanContext().spanId));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number): void => {
    const level = (children.get(parent) ?? []).sort((a, b) => startOf(a) - startOf(b));
    for (const span of level) {
      const system = span.attributes['messaging.system'];
      const status = span.status.code === 2 ? ' ERROR' : '';
      lines.push(`${'  '.repeat(depth)}${span.name} [${KIND[span.kind] ?? 'span'}${system ? `, ${String(system)}` : ''}] ${millis(span).toFixed(1)} ms${status}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
};
