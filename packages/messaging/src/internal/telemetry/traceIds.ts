import type { Context } from '@opentelemetry/api';
import { otelApi } from './otelApi';

/**
 * `trace_id` and `span_id` of the span in `context` (by default the active one), for log
 * records; `undefined` without OTel or without a valid span.
 */
export const traceIds = (context: Context | undefined): { trace_id: string; span_id: string } | undefined => {
  const api = otelApi();
  if (!api) return undefined;
  const span = context ? api.trace.getSpan(context) : api.trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return api.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : undefined;
};
