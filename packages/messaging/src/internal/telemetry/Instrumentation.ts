import type { Event } from '@tributary/core';
import type { DeadLetterInfo, TransportMessage } from '../../transport/transport.interface';
import type { Delivery } from '../Delivery';
import type { FinalSettlement } from '../Settler';
import type { ProducerSpan } from './ProducerSpan';

/**
 * The one seam between the delivery machine and observability (traces, metrics, per-message
 * logs): the machine calls it at a few points only. The default does nothing and allocates
 * nothing; `DeliveryTelemetry` is the real one.
 */
export interface Instrumentation {
  /** Runs the listener on a received (or retried) delivery: inside its CONSUMER span when tracing. */
  dispatch(delivery: Delivery, run: (event: Event) => void): void;
  /** The delivery is settled as `settlement`. */
  settled(delivery: Delivery, settlement: FinalSettlement): void;
  /** A message refused by the guard (malformed, too many attempts) is dead-lettered. */
  refused(message: TransportMessage, info: DeadLetterInfo): void;
  /** An effect's output (reply, derived event) is about to be framed and sent to `destination`. */
  output(event: Event, cause: Delivery | undefined, destination: string): ProducerSpan | undefined;
  /** `data` for a log record, with `trace_id` / `span_id` of the active span when there is one. */
  logData(data: Record<string, unknown> | undefined): Record<string, unknown> | undefined;
  /** The connection came back after a loss. */
  reconnected(): void;
  /** The machine stops (after draining): stop reporting it. */
  stop(): void;
}

const run = (delivery: Delivery, dispatch: (event: Event) => void): void => dispatch(delivery.event);

/** Does nothing: no OTel, no debug log, no slow-handler warning. */
export const NOOP_INSTRUMENTATION: Instrumentation = {
  dispatch: run,
  settled: () => undefined,
  refused: () => undefined,
  output: () => undefined,
  logData: data => data,
  reconnected: () => undefined,
  stop: () => undefined,
};
