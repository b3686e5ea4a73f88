import type { Attributes, Context } from '@opentelemetry/api';
import { Event, Logger, LoggerLevel } from '@tributary/core';
import { performance } from 'node:perf_hooks';
import type { DeadLetterInfo, TransportMessage } from '../../transport/transport.interface';
import type { Delivery } from '../Delivery';
import type { FinalSettlement } from '../Settler';
import { Instrumentation, NOOP_INSTRUMENTATION } from './Instrumentation';
import { otelApi } from './otelApi';
import { activeInstruments, activeTracer, observeInFlight, recordReconnect } from './otelState';
import { ProducerSpan, startProducerSpan } from './ProducerSpan';
import { ATTR, errorMessage, errorType } from './semconv';
import { traceIds } from './traceIds';

/** What the delivery machine tells its instrumentation about itself. */
export interface DeliveryTelemetryConfig {
  readonly system: string;
  readonly channel: string;
  readonly logger: Logger;
  /** Warn when a message takes longer than this from dispatch to settlement (ms; 0: never). */
  readonly slowHandlerWarning: number;
  readonly inFlight: () => number;
}

/**
 * Whether `logger` writes debug records. The default logger hands back one shared no-op for
 * every record below its level, so two debug records giving the same function means "off"
 * (a custom logger is asked per record, as always).
 */
const writesDebug = (logger: Logger): boolean => {
  const probe = { tag: 'messaging', type: 'Microservice', message: '', level: LoggerLevel.DEBUG };
  return logger(probe) !== logger({ ...probe });
};

/**
 * The instrumentation of one delivery machine: CONSUMER spans, metrics, debug logs and the
 * slow-handler warning. The no-op instead when there is nothing to do (no OTel API installed,
 * debug off, no warning threshold).
 */
export const createInstrumentation = (config: DeliveryTelemetryConfig): Instrumentation => {
  const debug = writesDebug(config.logger);
  if (!otelApi() && !debug && !(config.slowHandlerWarning > 0)) return NOOP_INSTRUMENTATION;
  return new DeliveryTelemetry(config, debug);
};

class DeliveryTelemetry implements Instrumentation {
  private readonly attributes: Attributes;
  private readonly unobserve: () => void;
  private readonly timed: boolean;

  constructor(
    private readonly config: DeliveryTelemetryConfig,
    private readonly debug: boolean,
  ) {
    const { system, channel } = config;
    this.attributes = { [ATTR.SYSTEM]: system, [ATTR.DESTINATION]: channel, [ATTR.CONSUMER_GROUP]: channel, [ATTR.OPERATION_NAME]: 'process' };
    this.unobserve = observeInFlight({ attributes: { [ATTR.SYSTEM]: system, [ATTR.DESTINATION]: channel }, get inFlight() { return config.inFlight(); } });
    this.timed = config.slowHandlerWarning > 0;
  }

  dispatch(delivery: Delivery, run: (event: Event) => void): void {
    const { event } = delivery;
    const instruments = activeInstruments();
    if (instruments) instruments.consumed.add(1, this.attributes);
    if (instruments || this.timed) delivery.started = performance.now();
    const tracer = activeTracer();
    if (tracer) {
      const api = otelApi()!;
      const metadata = event.metadata;
      const parent = metadata?.headers ? api.propagation.extract(api.ROOT_CONTEXT, metadata.headers) : api.ROOT_CONTEXT;
      const remote = api.trace.getSpanContext(parent);
      let context = parent;
      // a producer that was not sampled: its trace goes on unrecorded (as a parent-based sampler
      // decides), without a span of its own; otherwise a CONSUMER span, child of the producer's
      if (!remote || (remote.traceFlags & api.TraceFlags.SAMPLED) !== 0) {
        const span = tracer.startSpan(`process ${this.config.channel}`, { kind: api.SpanKind.CONSUMER }, parent);
        if (span.isRecording()) {
          span.setAttributes(this.attributes);
          span.setAttribute(ATTR.OPERATION_TYPE, 'process');
          if (metadata?.id !== undefined) span.setAttribute(ATTR.MESSAGE_ID, metadata.id);
          if (metadata?.correlationId !== undefined) span.setAttribute(ATTR.CONVERSATION_ID, metadata.correlationId);
          span.setAttribute(ATTR.EVENT_TYPE, event.type);
          span.setAttribute(ATTR.ATTEMPT, metadata?.attempt ?? 1);
        }
        context = api.trace.setSpan(parent, span);
      }
      delivery.otel = context;
      if (this.debug) this.log(LoggerLevel.DEBUG, 'received', delivery, context);
      api.context.with(context, run, undefined, event);
      return;
    }
    if (this.debug) this.log(LoggerLevel.DEBUG, 'received', delivery);
    run(event);
  }

  settled(delivery: Delivery, settlement: FinalSettlement): void {
    const failure = delivery.failure;
    const elapsed = delivery.started > 0 ? performance.now() - delivery.started : -1;
    const instruments = activeInstruments();
    if (instruments) {
      if (elapsed >= 0) instruments.duration.record(elapsed / 1000, failure === undefined ? this.attributes : { ...this.attributes, [ATTR.ERROR_TYPE]: errorType(failure) });
      if (settlement.outcome === 'retry') instruments.retried.add(1, this.attributes);
      else if (settlement.outcome === 'dead-letter') instruments.deadLettered.add(1, { ...this.attributes, [ATTR.DEAD_LETTER_REASON]: settlement.info.reason });
    }
    const context = delivery.otel as Context | undefined;
    if (context) this.endSpan(context, delivery, settlement);
    if (this.debug) this.log(LoggerLevel.DEBUG, settlement.outcome === 'retry' ? `retried (attempt ${settlement.attempt} in ${settlement.delay} ms)` : settlement.outcome === 'dead-letter' ? `dead-lettered (${settlement.info.reason})` : `settled (${settlement.outcome})`, delivery);
    if (this.timed && elapsed > this.config.slowHandlerWarning) {
      this.log(LoggerLevel.WARN, `slow handler: ${Math.round(elapsed)} ms from dispatch to settlement (slowHandlerWarning: ${this.config.slowHandlerWarning} ms)`, delivery);
    }
  }

  private endSpan(context: Context, delivery: Delivery, settlement: FinalSettlement): void {
    const api = otelApi()!;
    const span = api.trace.getSpan(context);
    if (!span) return;
    if (!span.isRecording()) return span.end();
    const failure = delivery.failure ?? (settlement.outcome === 'dead-letter' ? settlement.info.error : undefined);
    if (settlement.outcome === 'retry') span.addEvent('retry', { [ATTR.ATTEMPT]: settlement.attempt, [ATTR.RETRY_DELAY]: settlement.delay });
    else if (settlement.outcome === 'dead-letter') span.addEvent('dead_letter', { [ATTR.DEAD_LETTER_REASON]: settlement.info.reason, [ATTR.ATTEMPT]: settlement.info.attempts });
    if (failure !== undefined) {
      span.setAttribute(ATTR.ERROR_TYPE, errorType(failure));
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorMessage(failure) });
    }
    span.setAttribute(ATTR.OUTCOME, settlement.outcome);
    if (span.isRecording()) {
      const name = settlement.outcome === 'dead-letter' ? 'dead_letter' : settlement.outcome === 'abandoned' ? 'release' : settlement.outcome;
      const tracer = activeTracer();
      tracer
        ?.startSpan(`${name} ${this.config.channel}`, { kind: api.SpanKind.CLIENT, attributes: { ...this.attributes, [ATTR.OPERATION_TYPE]: 'settle', [ATTR.OPERATION_NAME]: name } }, context)
        .end();
    }
    span.end();
  }

  refused(message: TransportMessage, info: DeadLetterInfo): void {
    activeInstruments()?.deadLettered.add(1, { ...this.attributes, [ATTR.DEAD_LETTER_REASON]: info.reason });
    if (this.debug) this.config.logger({ tag: 'messaging', type: 'Microservice', level: LoggerLevel.DEBUG, message: `[${this.config.channel}] dead-lettered (${info.reason}) before dispatch`, data: { id: message.messageId, type: message.type, attempt: info.attempts } })();
  }

  output(event: Event, cause: Delivery | undefined, destination: string): ProducerSpan | undefined {
    return startProducerSpan(this.config.system, 'send', destination, event, cause);
  }

  logData(data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    const ids = traceIds(undefined);
    return ids ? Object.assign({}, data, ids) : data;
  }

  reconnected(): void {
    recordReconnect(this.config.system, this.config.channel);
  }

  stop(): void {
    this.unobserve();
  }

  private log(level: LoggerLevel, what: string, delivery: Delivery, context = delivery.otel as Context | undefined): void {
    const { event } = delivery;
    const data: Record<string, unknown> = { id: event.metadata?.id, type: event.type, attempt: event.metadata?.attempt ?? 1 };
    const ids = traceIds(context);
    if (ids) Object.assign(data, ids);
    this.config.logger({ tag: 'messaging', type: 'Microservice', level, message: `[${this.config.channel}] "${event.type}" ${what}`, data })();
  }
}
