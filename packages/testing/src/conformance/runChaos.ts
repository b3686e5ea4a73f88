import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { contextFactory } from '@tributary/core';
import { MessagingClient } from '@tributary/messaging';
import type { DeliveryOptions } from '@tributary/messaging';
import type { DeadLetterRecord, TransportConformanceSetup } from './TransportConformanceSetup';

/** How a chaos run goes. */
export interface ChaosOptions {
  /** Emits, each with a unique id (default 500). */
  emits?: number;
  /** Emits in flight at once (default 50). */
  window?: number;
  /** `'lossy'` runs a consumer that acknowledges before the work: the self-check that the run can fail. */
  consumer?: 'correct' | 'lossy';
  /** How long to wait for every resolved emit to be processed after the last one (ms, default 60 000). */
  settleTimeout?: number;
  /** Delivery options of the service and the client (default: 5 s timeout, 3 attempts, short backoff). */
  delivery?: DeliveryOptions;
  /** Extra options of the consumer only (a fixed session or client id). */
  consumerOptions?: Record<string, unknown>;
}

/**
 * A dead letter of a chaos run and what it is: the poison event (`failed`), the malformed bytes,
 * a `Work` event that was processed and then delivered again past `maxAttempts` by the faults
 * (`redelivered`: dead-lettered as `failed` with `MaxAttemptsExceededError`, without running
 * again, as a message that keeps crashing its consumers would be), or anything else
 * (`unexpected`: a failing run).
 */
export interface ChaosDeadLetter {
  readonly kind: 'poison' | 'malformed' | 'redelivered' | 'unexpected';
  readonly reason: string;
  readonly type?: string;
  readonly errorName?: string;
  /** The `Work` event's id, read from the letter's body. */
  readonly id?: string;
}

/** The outcome of a chaos run: a failed run has `lost > 0`, or {@link chaosFindings}. */
export interface ChaosReport {
  readonly transport: string;
  readonly resolved: number;
  readonly rejected: number;
  /** Distinct ids processed. */
  readonly processed: number;
  /** Emits that resolved but were never processed. */
  readonly lost: number;
  /** Deliveries processed more than once (at-least-once). */
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly deadLetterReasons: readonly string[];
  /** Each dead letter, classified. */
  readonly deadLetters: readonly ChaosDeadLetter[];
}

/** The id a `Work` letter's body carries (its payload), if the body is the JSON envelope. */
const workIdOf = (body: Buffer | undefined): string | undefined => {
  try {
    const payload = body ? (JSON.parse(body.toString('utf8')) as { payload?: unknown }).payload : undefined;
    return typeof payload === 'string' ? payload : undefined;
  } catch {
    return undefined;
  }
};

const classify = (letter: DeadLetterRecord, processed: ReadonlyMap<string, number>): ChaosDeadLetter => {
  const id = letter.type === 'Work' ? workIdOf(letter.body) : undefined;
  const kind: ChaosDeadLetter['kind'] =
    letter.reason === 'malformed'
      ? 'malformed'
      : letter.reason === 'failed' && letter.type === 'Poison'
        ? 'poison'
        : letter.reason === 'failed' && letter.type === 'Work' && letter.errorName === 'MaxAttemptsExceededError' && id !== undefined && processed.has(id)
          ? 'redelivered'
          : 'unexpected';
  return { kind, reason: letter.reason, type: letter.type, errorName: letter.errorName, id };
};

/**
 * What is wrong with a chaos run, in words; empty when it passed: nothing lost, every resolved
 * emit processed, the poison event and the malformed bytes dead-lettered (a duplicate of
 * either may be dead-lettered too: delivery is at least once), and no other dead letter than
 * `Work` events processed before the faults delivered them past `maxAttempts`.
 *
 * @example
 * ```ts
 * import { chaosFindings, runChaos } from '@tributary/testing/conformance';
 * import type { TransportConformanceSetup } from '@tributary/testing/conformance';
 *
 * declare const setup: TransportConformanceSetup;
 * const findings = chaosFindings(await runChaos('Redis streams', setup));
 * if (findings.length) throw new Error(findings.join('; '));
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const chaosFindings = (report: ChaosReport): string[] => {
  const findings: string[] = [];
  if (report.lost > 0) findings.push(`${report.lost} resolved emits were never processed`);
  if (report.processed < report.resolved) findings.push(`${report.processed} distinct ids processed, fewer than the ${report.resolved} resolved emits`);
  if (!report.deadLetters.some(letter => letter.kind === 'poison')) findings.push('the poison event was not dead-lettered');
  if (!report.deadLetters.some(letter => letter.kind === 'malformed')) findings.push('the malformed bytes were not dead-lettered');
  for (const letter of report.deadLetters.filter(l => l.kind === 'unexpected')) findings.push(`unexpected dead letter: ${JSON.stringify(letter)}`);
  return findings;
};

/** Default delivery options of a chaos run. */
export const DEFAULT_CHAOS_DELIVERY: DeliveryOptions = { timeout: 5_000, retry: { maxAttempts: 2, initialDelay: 50, maxDelay: 200, factor: 2 } };

const CONSUMER = path.join(path.dirname(require.resolve('@tributary/testing/package.json')), 'bin', 'chaos-consumer.js');
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** A consumer process, and how many Work events it received (and, lossy, acknowledged before the work). */
type Consumer = ChildProcess & { received?: number; acked?: number };

/** A consumer child process: `r <id>` lines are received ids, `a <id>` acknowledged ones (lossy), `p <id>` processed ones, `ready` when it consumes. */
const startConsumer = (transport: unknown, options: Record<string, unknown>, mode: string, processed: Map<string, number>): Promise<Consumer> =>
  new Promise((resolve, reject) => {
    const child: Consumer = spawn(process.execPath, [CONSUMER, JSON.stringify(transport), JSON.stringify(options), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.received = 0;
    child.acked = 0;
    let rest = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve(child);
        else if (line.startsWith('r ')) child.received!++;
        else if (line.startsWith('a ')) child.acked!++;
        else if (line.startsWith('p ')) processed.set(line.slice(2), (processed.get(line.slice(2)) ?? 0) + 1);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.once('exit', code => reject(new Error(`chaos: the consumer exited (${code}) before it was ready: ${stderr}`)));
  });

const kill = (child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> =>
  new Promise(resolve => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

/**
 * Runs a transport through faults while emitting: `emits` events with unique ids, a connection
 * cut (through the setup's `fault` proxy) at a quarter, a SIGKILL of the consumer process at
 * half (once it has received a message), a poison event and malformed bytes at 60 %; then counts what was resolved, processed,
 * lost, duplicated and dead-lettered. The consumer runs the built packages (`tsc -b` first).
 *
 * @example
 * ```ts
 * import { runChaos, formatChaosTable } from '@tributary/testing/conformance';
 * import type { TransportConformanceSetup } from '@tributary/testing/conformance';
 *
 * declare const setup: TransportConformanceSetup; // the transport's conformance setup
 * const report = await runChaos('Redis streams', setup, { emits: 500 });
 * console.log(formatChaosTable([report]));
 * if (report.lost > 0) process.exitCode = 1;
 * ```
 * @since 0.2.0
 * @category conformance
 */
export const runChaos = async (name: string, setup: TransportConformanceSetup, options: ChaosOptions = {}): Promise<ChaosReport> => {
  if (!setup.fault) throw new Error(`chaos: the setup of ${name} has no fault hook (a TCP proxy to cut); add one as in its conformance test`);
  const emits = options.emits ?? 500;
  const window = options.window ?? 50;
  const delivery = options.delivery ?? DEFAULT_CHAOS_DELIVERY;
  const channel = `chaos-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 8)}`;
  const fault = await setup.fault();
  const processed = new Map<string, number>();
  const serviceOptions = { ...setup.serviceOptions(channel, delivery), ...fault.options, ...options.consumerOptions };
  const mode = options.consumer ?? 'correct';
  let consumer: Consumer | undefined = await startConsumer(setup.transport, serviceOptions, mode, processed);
  const client = await MessagingClient({ transport: setup.transport, options: { ...(setup.clientOptions ?? setup.serviceOptions)(channel, delivery), ...fault.options } })(await contextFactory());
  const resolved = new Set<string>();
  let rejected = 0;
  const chaos: Array<Promise<unknown>> = [];
  try {
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < emits; i++) {
      if (i === Math.floor(emits / 4)) chaos.push(fault.cut().then(() => sleep(500)).then(() => fault.restore()));
      if (i === Math.floor(emits / 2)) {
        const killed = consumer;
        consumer = undefined;
        // killed while it works: once it has received something (bounded wait); the lossy one once
        // it acknowledged something, which it processes only a second later (its loss is then certain)
        const started = () => ((mode === 'lossy' ? killed?.acked : killed?.received) ?? 0) > 0;
        const working = async () => {
          for (const until = Date.now() + 10_000; !started() && Date.now() < until; ) await sleep(5);
          await sleep(100); // in the middle of its work, acknowledgements included
        };
        chaos.push(working().then(() => kill(killed, 'SIGKILL')).then(async () => (consumer = await startConsumer(setup.transport, serviceOptions, mode, processed))));
      }
      if (i === Math.floor((emits * 3) / 5)) {
        chaos.push(client.emit({ type: 'Poison', payload: 'poison' }).catch(() => undefined));
        chaos.push(setup.injectRaw(channel, Buffer.from('{"this is": not JSON', 'utf8')));
      }
      const id = `${channel}-${i}`;
      const emit: Promise<void> = client.emit({ type: 'Work', payload: id, metadata: { id } }).then(
        () => void resolved.add(id),
        () => void rejected++,
      );
      inFlight.add(emit);
      void emit.finally(() => inFlight.delete(emit));
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await Promise.all(chaos);
    const deadline = Date.now() + (options.settleTimeout ?? 60_000);
    const missing = () => [...resolved].filter(id => !processed.has(id)).length;
    while (missing() > 0 && Date.now() < deadline) await sleep(200);
    let letters = await setup.readDeadLetters(channel);
    while (letters.length < 2 && Date.now() < deadline) {
      await sleep(200);
      letters = await setup.readDeadLetters(channel);
    }
    await sleep(500); // late duplicates
    const lost = missing();
    const deliveries = [...processed.values()].reduce((n, count) => n + count, 0);
    return {
      transport: name,
      resolved: resolved.size,
      rejected,
      processed: processed.size,
      lost,
      duplicates: deliveries - processed.size,
      deadLettered: letters.length,
      deadLetterReasons: letters.map(letter => letter.reason).sort(),
      deadLetters: letters.map(letter => classify(letter, processed)),
    };
  } finally {
    await kill(consumer, 'SIGTERM');
    await client.close().catch(() => undefined);
    await fault.restore().catch(() => undefined);
    await fault.close().catch(() => undefined);
    await setup.cleanup?.([channel]).catch(() => undefined);
  }
};

/** The reports as a plain-text table: `resolved / rejected / processed / lost / duplicates / dead-lettered`. */
export const formatChaosTable = (reports: readonly ChaosReport[]): string => {
  const head = ['transport', 'resolved', 'rejected', 'processed', 'lost', 'duplicates', 'dead-lettered'];
  const kinds = (r: ChaosReport) => {
    const counts = new Map<string, number>();
    for (const letter of r.deadLetters) counts.set(letter.kind, (counts.get(letter.kind) ?? 0) + 1);
    return [...counts].map(([kind, n]) => (n > 1 ? `${n} ${kind}` : kind)).join(', ');
  };
  const rows = reports.map(r => [r.transport, r.resolved, r.rejected, r.processed, r.lost, r.duplicates, `${r.deadLettered} (${kinds(r)})`].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(row => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ');
  return [line(head), widths.map(w => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
};
