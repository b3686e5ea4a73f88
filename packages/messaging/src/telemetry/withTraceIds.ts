import type { Logger } from '@tributary/core';
import { traceIds } from '../internal/telemetry/traceIds';

/**
 * Wraps a logger so that every record written while an OpenTelemetry span is active carries
 * `trace_id` and `span_id` in its `data` (JSON lines get them as fields): your own log lines
 * in effects then join the trace, as Tributary's do. Without OpenTelemetry, or outside a span,
 * records pass unchanged. (`@tributary/core`'s logger does not depend on OpenTelemetry.)
 *
 * @example
 * ```ts
 * import { bindTo, createLogger, LoggerToken } from '@tributary/core';
 * import { withTraceIds } from '@tributary/messaging';
 *
 * export const dependencies = [bindTo(LoggerToken)(() => withTraceIds(createLogger({ format: 'json' })))];
 * ```
 * @since 0.2.0
 * @category observability
 */
export const withTraceIds =
  (logger: Logger): Logger =>
  record => {
    const ids = traceIds(undefined);
    return logger(ids ? { ...record, data: { ...record.data, ...ids } } : record);
  };
