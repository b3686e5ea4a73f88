import { formatSpread, spread } from './stats';
import type { CellResult, MetricSpec, Side, Workload } from './types';

/** One side's figure in a row: the runs' values, or why there are none. */
export interface Figure {
  readonly system?: string;
  readonly values: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Lost plus failed (timed out, rejected, wrong reply) operations, summed over the runs. */
  readonly lost: number;
  readonly notMeasured?: string;
}

/** One line of the table: a metric of a workload for one Tributary variant, beside raw and Marble. */
export interface Row {
  readonly workload: string;
  readonly group: Workload['group'];
  readonly metric: MetricSpec;
  readonly variant: string;
  readonly tributary: Figure;
  readonly raw: Figure;
  readonly marble: Figure;
  /** Speed relative to raw / Marble: throughput ratio, or inverse latency ratio (>1: Tributary faster). */
  readonly vsRaw: number;
  readonly vsMarble: number;
}

const figure = (cell: CellResult | undefined, metric: MetricSpec, side: Side, absent?: string): Figure => {
  if (!cell) return { values: [], median: NaN, min: NaN, max: NaN, lost: 0, notMeasured: absent ?? `no ${side} implementation` };
  if (cell.status !== 'ok') return { system: cell.system, values: [], median: NaN, min: NaN, max: NaN, lost: 0, notMeasured: cell.reason };
  const values = cell.samples.map(s => s.metrics[metric.key]);
  const lost = cell.samples.reduce((sum, s) => sum + s.lost + s.failed, 0);
  return { system: cell.system, values, ...spread(values), lost };
};

const speedRatio = (metric: MetricSpec, tributary: Figure, other: Figure): number => {
  if (metric.ratio === false) return NaN;
  return metric.better === 'higher' ? tributary.median / other.median : other.median / tributary.median;
};

/** The table rows of all workloads. */
export const buildRows = (workloads: readonly Workload[], cells: readonly CellResult[]): Row[] => {
  const rows: Row[] = [];
  for (const workload of workloads) {
    const mine = cells.filter(c => c.workload === workload.id);
    const raw = mine.find(c => c.side === 'raw');
    const marble = mine.find(c => c.side === 'marble');
    for (const metric of workload.metrics) {
      for (const cell of mine.filter(c => c.side === 'tributary')) {
        const t = figure(cell, metric, 'tributary');
        const r = figure(raw, metric, 'raw', workload.absent?.raw);
        const m = figure(marble, metric, 'marble', workload.absent?.marble);
        rows.push({
          workload: workload.id,
          group: workload.group,
          metric,
          variant: cell.label,
          tributary: t,
          raw: r,
          marble: m,
          vsRaw: speedRatio(metric, t, r),
          vsMarble: speedRatio(metric, t, m),
        });
      }
    }
  }
  return rows;
};

const cellText = (f: Figure, metric: MetricSpec): string =>
  f.notMeasured === undefined ? formatSpread(f.values, metric.unit) : f.system === undefined ? 'n/a' : 'not measured';
const ratioText = (r: number): string => (Number.isFinite(r) ? `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×` : '—');
const lostText = (f: Figure): string => (f.notMeasured !== undefined ? '–' : String(f.lost));
const unitText = (m: MetricSpec): string => (m.unit === 'ops/s' ? '/s' : m.unit);

/** The table as Markdown (it reads well in a terminal too). */
export const renderTable = (rows: readonly Row[]): string => {
  const header = ['workload', 'Tributary variant', 'unit', 'Tributary', 'raw', 'Marble.js 4.1', 'vs raw', 'vs Marble', 'lost/failed T·raw·M'];
  const lines = rows.map(row => [
    row.metric.label,
    row.variant,
    unitText(row.metric),
    cellText(row.tributary, row.metric),
    cellText(row.raw, row.metric),
    cellText(row.marble, row.metric),
    ratioText(row.vsRaw),
    ratioText(row.vsMarble),
    `${lostText(row.tributary)}·${lostText(row.raw)}·${lostText(row.marble)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const fmt = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
};

/** Why some cells were not measured, one line each. */
export const renderNotMeasured = (cells: readonly CellResult[]): string[] =>
  cells.filter(c => c.status !== 'ok').map(c => `- ${c.workload} / ${c.system} (${c.label}): not measured: ${c.reason}`);
