import type { Attributes, Context, Span } from '@opentelemetry/api';
import { Event, getDeliveryTracker } from '@tributary/core';
import { Delivery } from '../Delivery';
import { otelApi } from './otelApi';
import { activeInstruments, activeTracer } from './otelState';
import { ATTR, errorMessage, errorType } from './semconv';

/** A send in progress: end it once the broker took the message (or the reply came). */
export interface ProducerSpan {
  end(error?: unknown): void;
}

class Producing implements ProducerSpan {
  constructor(
    private readonly span: Span | undefined,
    private readonly attributes: Attributes,
  ) {}

  end(error?: unknown): void {
    const failed = error !== undefined;
    const instruments = activeInstruments();
    if (instruments) instruments.sent.add(1, failed ? { ...this.attributes, [ATTR.ERROR_TYPE]: errorType(error) } : this.attributes);
    if (!this.span) return;
    if (failed) {
      this.span.setAttribute(ATTR.ERROR_TYPE, errorType(error));
      this.span.setStatus({ code: 2, message: errorMessage(error) });
    }
    this.span.end();
  }
}

/**
 * Starts a PRODUCER span `<operation> <destination>` for an outgoing event (a client's
 * `emit`/`send`/`publish`, or an effect's output) as a child of the delivery that caused it
 * (`cause`, or the delivery an event built from a received one carries), else of the active
 * context,, and injects its context (W3C `traceparent`,
 * `tracestate`, baggage: whatever propagator is registered) into a fresh copy of
 * `metadata.headers`. `undefined` when neither a tracer nor a meter provider is registered.
 */
export const startProducerSpan = (
  system: string,
  operation: 'send' | 'publish',
  destination: string,
  event: Event,
  cause: Delivery | Event | undefined,
): ProducerSpan | undefined => {
  const tracer = activeTracer();
  const metered = activeInstruments() !== undefined;
  if (!tracer && !metered) return undefined;
  const attributes: Attributes = { [ATTR.SYSTEM]: system, [ATTR.DESTINATION]: destination, [ATTR.OPERATION_NAME]: operation };
  if (!tracer) return new Producing(undefined, attributes);
  const api = otelApi()!;
  const tracker = cause instanceof Delivery ? cause : getDeliveryTracker(cause);
  const delivery = tracker instanceof Delivery ? tracker : undefined;
  const parent = (delivery?.otel as Context | undefined) ?? api.context.active();
  const metadata = (event.metadata ??= {});
  // the sampler sees the span kind and parent only: attributes are set once it records
  const span = tracer.startSpan(`${operation} ${destination}`, { kind: api.SpanKind.PRODUCER }, parent);
  const headers: Record<string, string> = Object.assign({}, metadata.headers);
  api.propagation.inject(api.trace.setSpan(parent, span), headers);
  metadata.headers = headers;
  if (span.isRecording()) {
    span.setAttributes(attributes);
    span.setAttribute(ATTR.OPERATION_TYPE, 'send');
    if (metadata.id !== undefined) span.setAttribute(ATTR.MESSAGE_ID, metadata.id);
    if (metadata.correlationId !== undefined) span.setAttribute(ATTR.CONVERSATION_ID, metadata.correlationId);
    span.setAttribute(ATTR.EVENT_TYPE, event.type);
  } else if (!metered) {
    // not sampled: the context is propagated, nothing waits for the send
    span.end();
    return undefined;
  }
  return new Producing(span, attributes);
};

/** Ends `span` when `sent` settles (with its error, if it fails); `sent` as it is without a span. */
export const endWhenSent = <T>(span: ProducerSpan | undefined, sent: Promise<T>): Promise<T> =>
  span
    ? sent.then(
        value => {
          span.end();
          return value;
        },
        error => {
          span.end(error);
          throw error;
        },
      )
    : sent;
