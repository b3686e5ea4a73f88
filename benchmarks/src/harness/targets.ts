import type { Row } from './report';
import { isBrokerGroup } from './types';
import type { CellResult } from './types';

/** One target of DESIGN.md / issue 8, checked against one row. */
export interface TargetCheck {
  readonly target: string;
  readonly row: string;
  readonly measured: string;
  readonly status: 'met' | 'missed' | 'not measured';
}

const label = (row: Row): string => `${row.metric.label} — ${row.variant}`;
const x = (r: number): string => `${r.toFixed(2)}×`;

const ratioCheck = (target: string, row: Row, value: number, min: number, missing?: string): TargetCheck => ({
  target,
  row: label(row),
  measured: Number.isFinite(value) ? x(value) : `— (${missing ?? 'not measured'})`,
  status: Number.isFinite(value) ? (value >= min ? 'met' : 'missed') : 'not measured',
});

/** Tributary's speed over a peer's figure (throughput ratio, or inverse latency ratio). */
const speedOver = (row: Row, peer: number): number => (row.metric.better === 'higher' ? row.tributary.median / peer : peer / row.tributary.median);

/** Every target that applies to the rows, met or missed. */
export const checkTargets = (rows: readonly Row[], cells: readonly CellResult[]): TargetCheck[] => {
  const checks: TargetCheck[] = [];
  for (const row of rows) {
    // a breakdown row's "raw" does part of Tributary's work: it explains a gap, it sets no target
    if (row.raw.breakdown) continue;
    const key = row.metric.key;
    const broker = isBrokerGroup(row.group);
    if (row.workload === 'local-emit-batches') {
      const v = row.tributary.median;
      checks.push({
        target: 'local emit ≥ 1,000,000 events/s (batches awaited)',
        row: label(row),
        measured: Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')}/s` : '—',
        status: Number.isFinite(v) ? (v >= 1_000_000 ? 'met' : 'missed') : 'not measured',
      });
    }
    if (row.workload.startsWith('local-emit')) checks.push(ratioCheck('local emit ≥ 10× Marble.js', row, row.vsMarble, 10, row.marble.notMeasured));
    if (row.workload.startsWith('local-send')) checks.push(ratioCheck('local send ≥ 5× Marble.js', row, row.vsMarble, 5, row.marble.notMeasured));
    if (broker && row.metric.ratio !== false) {
      checks.push(ratioCheck(`${row.group.toUpperCase()} ≥ 0.8× raw client`, row, row.vsRaw, 0.8, row.raw.notMeasured ?? row.tributary.notMeasured));
      if (!row.workload.includes('streams')) {
        // Marble.js 4.1 has AMQP and Redis only: the target applies where it runs
        if (row.group === 'amqp' || row.group === 'redis') checks.push(ratioCheck('broker workload ≥ 3× Marble.js', row, row.vsMarble, 3, row.marble.notMeasured ?? row.tributary.notMeasured));
        if (!row.nest.notMeasured) checks.push(ratioCheck('ahead of NestJS', row, speedOver(row, row.nest.median), 1));
        if (!row.moleculer.notMeasured) checks.push(ratioCheck('ahead of Moleculer', row, speedOver(row, row.moleculer.median), 1));
      }
    }
    if (row.group === 'memory' && key === 'growth' && row.workload.includes('100k')) {
      const v = row.tributary.median;
      checks.push({
        target: 'heap growth < 5 MB over 100,000 RPCs',
        row: label(row),
        measured: Number.isFinite(v) ? `${v.toFixed(2)} MB` : '—',
        status: Number.isFinite(v) ? (v < 5 ? 'met' : 'missed') : 'not measured',
      });
    }
  }
  for (const cell of cells.filter(c => c.side === 'tributary')) {
    const lost = cell.samples.reduce((sum, s) => sum + s.lost + s.failed, 0);
    checks.push({
      target: 'zero lost or timed-out calls',
      row: `${cell.workload} — ${cell.label}`,
      measured: cell.status === 'ok' ? `${lost} lost/failed` : '—',
      status: cell.status !== 'ok' ? 'not measured' : lost === 0 ? 'met' : 'missed',
    });
  }
  return checks;
};

/** The checks as Markdown: the missed ones first. */
export const renderTargets = (checks: readonly TargetCheck[]): string => {
  const order = { missed: 0, 'not measured': 1, met: 2 } as const;
  const sorted = [...checks].sort((a, b) => order[a.status] - order[b.status]);
  const met = checks.filter(c => c.status === 'met').length;
  const lines = sorted.map(c => `| ${c.status === 'met' ? '✔ met' : c.status === 'missed' ? '✘ MISSED' : '… not measured'} | ${c.target} | ${c.row} | ${c.measured} |`);
  return [`${met} of ${checks.length} target checks met.`, '', '| status | target | row | measured |', '|---|---|---|---|', ...lines].join('\n');
};
