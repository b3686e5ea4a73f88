/** Who runs a workload: Tributary (one or more variants), the raw client, Marble.js 4.1.0, NestJS 12 or Moleculer 0.15. */
export type Side = 'tributary' | 'raw' | 'marble' | 'nest' | 'moleculer';

/** Which table section a workload belongs to: the bus, a broker, or memory. */
export type Group = 'local' | 'amqp' | 'redis' | 'kafka' | 'nats' | 'mqtt' | 'sqs' | 'amqp10' | 'memory';

/** Whether a group measures a broker (its rows are held to the ≥ 0.8× raw target). */
export const isBrokerGroup = (group: Group): boolean => group !== 'local' && group !== 'memory';

/** The peer frameworks (every side but Tributary and the raw client). */
export const PEERS = ['marble', 'nest', 'moleculer'] as const;

/** One implementation of a workload: e.g. Tributary's EventBus, or raw amqplib. */
export interface SystemSpec {
  /** Unique within the workload: `tributary`, `tributary-ms`, `raw`, `marble`. */
  readonly id: string;
  readonly side: Side;
  /** Shown in the table for Tributary variants, e.g. `EventBus`. */
  readonly label: string;
  /** How many operations one run makes (systems of very different speed get different counts). */
  readonly n: number;
  /** When set, the system cannot run here: the table says so. */
  readonly unavailable?: () => string | undefined;
  /**
   * A raw-side variant that does part of Tributary's work (the raw client carrying its metadata,
   * a plain loop doing its per-message work, Tributary's transport layer alone): its rows break
   * the overhead down and are no baseline of a target.
   */
  readonly breakdown?: boolean;
}

/** A figure a workload reports, one row of the table per metric (and Tributary variant). */
export interface MetricSpec {
  readonly key: string;
  readonly label: string;
  readonly unit: 'ops/s' | 'ms' | 'MB';
  /** Whether a higher value is better (throughput) or a lower one (latency, memory). */
  readonly better: 'higher' | 'lower';
  /** Memory figures get no ratio: they are judged against an absolute target. */
  readonly ratio?: boolean;
}

/** What one measured run gives back. */
export interface RunSample {
  readonly metrics: Record<string, number>;
  /** Operations that completed correctly. */
  readonly ok: number;
  /** Operations that failed (rejected, timed out, wrong reply). */
  readonly failed: number;
  /** Operations never completed by the deadline (emitted and not counted, calls never answered). */
  readonly lost: number;
  readonly elapsedMs: number;
}

/** Options a worker passes to a workload run. */
export interface RunOptions {
  readonly n: number;
  readonly runs: number;
  /** Unique per cell: prefix of every queue, channel and stream name. */
  readonly tag: string;
}

/** A workload: the same job done by each system. One file per workload under `workloads/`. */
export interface Workload {
  readonly id: string;
  readonly group: Group;
  readonly title: string;
  readonly metrics: readonly MetricSpec[];
  readonly systems: readonly SystemSpec[];
  /** Why a side has no implementation (e.g. Marble.js has no Redis streams). */
  readonly absent?: Partial<Record<Side, string>>;
  /** Run the child with `--expose-gc`. */
  readonly gc?: boolean;
  /** Transient broker errors (a restarted RabbitMQ) make the cell run once more. */
  readonly retryOnce?: boolean;
  /** RabbitMQ cells hold the amqp tests' shared broker lock (no outage test in the middle of them). */
  readonly usesRabbitMq?: boolean;
  /** Upper bound for one system's child process (all its runs), ms. */
  readonly timeoutMs: number;
  run(systemId: string, options: RunOptions): Promise<RunSample[]>;
}

/** What a cell (one workload × one system) ended with. */
export interface CellResult {
  readonly workload: string;
  readonly system: string;
  readonly side: Side;
  readonly label: string;
  readonly n: number;
  /** See `SystemSpec.breakdown`. */
  readonly breakdown?: boolean;
  readonly status: 'ok' | 'not-measured';
  readonly reason?: string;
  readonly samples: readonly RunSample[];
  readonly wallMs: number;
}
