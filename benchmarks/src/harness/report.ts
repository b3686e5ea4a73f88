import { formatSpread, spread } from './stats';
import { PEERS } from './types';
import type { CellResult, MetricSpec, Side, Workload } from './types';

/** One side's figure in a row: the runs' values, or why there are none. */
export interface Figure {
  readonly system?: string;
  /** A breakdown variant (see `SystemSpec.breakdown`). */
  readonly breakdown?: boolean;
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
  readonly nest: Figure;
  readonly moleculer: Figure;
  /** Speed relative to raw / Marble: throughput ratio, or inverse latency ratio (>1: Tributary faster). */
  readonly vsRaw: number;
  readonly vsMarble: number;
  /** Speed relative to the fastest measured peer (Marble.js, NestJS, Moleculer), and which one it is. */
  readonly vsBestPeer: number;
  readonly bestPeer?: Side;
}

const figure = (cell: CellResult | undefined, metric: MetricSpec, side: Side, absent?: string): Figure => {
  if (!cell) return { values: [], median: NaN, min: NaN, max: NaN, lost: 0, notMeasured: absent ?? `no ${side} implementation` };
  if (cell.status !== 'ok') return { system: cell.system, values: [], median: NaN, min: NaN, max: NaN, lost: 0, notMeasured: cell.reason };
  // a figure no run could give (NaN) reaches the parent as null
  const values = cell.samples.map(s => s.metrics[metric.key] ?? NaN);
  const lost = cell.samples.reduce((sum, s) => sum + s.lost + s.failed, 0);
  return { system: cell.system, breakdown: cell.breakdown, values, ...spread(values), lost };
};

const speedRatio = (metric: MetricSpec, tributary: Figure, other: Figure): number => {
  if (metric.ratio === false) return NaN;
  return metric.better === 'higher' ? tributary.median / other.median : other.median / tributary.median;
};

/**
 * The raw cells a Tributary cell is set beside, one row each: a workload may measure two raw
 * clients (Kafka: @platformatic/kafka and KafkaJS); with none, one row without.
 */
const rawsOf = (cells: readonly CellResult[]): Array<CellResult | undefined> => {
  const raws = cells.filter(c => c.side === 'raw');
  return raws.length ? raws : [undefined];
};

/** A row's variant label: the Tributary cell's, naming the raw client when there are two. */
const variantOf = (tributary: CellResult, raw: CellResult | undefined, raws: number): string =>
  raws > 1 && raw ? `${tributary.label} (raw: ${raw.label})` : tributary.label;

/** The table rows of all workloads. */
export const buildRows = (workloads: readonly Workload[], cells: readonly CellResult[]): Row[] => {
  const rows: Row[] = [];
  for (const workload of workloads) {
    const mine = cells.filter(c => c.workload === workload.id);
    const raws = rawsOf(mine);
    for (const metric of workload.metrics) {
      for (const cell of mine.filter(c => c.side === 'tributary')) for (const raw of raws) {
        const t = figure(cell, metric, 'tributary');
        const r = figure(raw, metric, 'raw', workload.absent?.raw);
        const [m, nest, moleculer] = PEERS.map(side => figure(mine.find(c => c.side === side), metric, side, workload.absent?.[side]));
        const peerRatios = [m, nest, moleculer].map(f => speedRatio(metric, t, f));
        const best = peerRatios.reduce((b, r, i) => (Number.isFinite(r) && (b < 0 || r < peerRatios[b]) ? i : b), -1);
        rows.push({
          workload: workload.id,
          group: workload.group,
          metric,
          variant: variantOf(cell, raw, raws.length),
          tributary: t,
          raw: r,
          marble: m,
          nest,
          moleculer,
          vsRaw: speedRatio(metric, t, r),
          vsMarble: speedRatio(metric, t, m),
          vsBestPeer: best < 0 ? NaN : peerRatios[best],
          bestPeer: best < 0 ? undefined : PEERS[best],
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
const PEER_NAMES: Partial<Record<Side, string>> = { marble: 'Marble', nest: 'Nest', moleculer: 'Moleculer' };
const unitText = (m: MetricSpec): string => (m.unit === 'ops/s' ? '/s' : m.unit);

/** The table as Markdown (it reads well in a terminal too). */
export const renderTable = (rows: readonly Row[]): string => {
  const header = ['workload', 'Tributary variant', 'unit', 'Tributary', 'raw', 'Marble.js 4.1', 'NestJS 12', 'Moleculer 0.15', 'vs raw', 'vs best peer', 'lost/failed T·raw·Ma·N·Mo'];
  const lines = rows.map(row => [
    row.metric.label,
    row.variant,
    unitText(row.metric),
    cellText(row.tributary, row.metric),
    cellText(row.raw, row.metric),
    cellText(row.marble, row.metric),
    cellText(row.nest, row.metric),
    cellText(row.moleculer, row.metric),
    ratioText(row.vsRaw),
    Number.isFinite(row.vsBestPeer) ? `${ratioText(row.vsBestPeer)} (${PEER_NAMES[row.bestPeer!]})` : '—',
    [row.tributary, row.raw, row.marble, row.nest, row.moleculer].map(lostText).join('·'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const fmt = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
};

/** Why some cells were not measured, one line each. */
export const renderNotMeasured = (cells: readonly CellResult[]): string[] =>
  cells.filter(c => c.status !== 'ok').map(c => `- ${c.workload} / ${c.system} (${c.label}): not measured: ${c.reason}`);

/** The CPU figure of a cell: median µs per operation over its runs, or NaN. */
const cpuOf = (cell: CellResult | undefined): number => {
  const values = (cell?.samples ?? []).map(s => s.metrics.cpu).filter(v => Number.isFinite(v));
  return values.length ? spread(values).median : NaN;
};

/**
 * CPU time per operation of each system (client and service share one process, so this is
 * what the framework and its client library cost; the broker's own CPU is not in it). Read
 * with the main table: on a shared machine these figures move far less than wall-clock ones.
 */
export const renderCpuTable = (workloads: readonly Workload[], cells: readonly CellResult[]): string => {
  const sides: Side[] = ['tributary', 'raw', 'marble', 'nest', 'moleculer'];
  const header = ['workload', 'system', 'Tributary', 'raw', 'Marble.js', 'NestJS', 'Moleculer', 'raw ÷ Tributary'];
  const lines: string[][] = [];
  for (const workload of workloads) {
    const mine = cells.filter(c => c.workload === workload.id && c.status === 'ok');
    const raws = rawsOf(mine);
    for (const t of mine.filter(c => c.side === 'tributary')) {
      for (const raw of raws) {
        const figures = sides.map(side => (side === 'tributary' ? cpuOf(t) : side === 'raw' ? cpuOf(raw) : cpuOf(mine.find(c => c.side === side))));
        if (!Number.isFinite(figures[0])) continue;
        const text = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '—');
        lines.push([
          workload.id,
          variantOf(t, raw, raws.length),
          ...figures.map(text),
          Number.isFinite(figures[1]) ? `${(figures[1] / figures[0]).toFixed(2)}×` : '—',
        ]);
      }
    }
  }
  if (!lines.length) return '';
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const fmt = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    'CPU µs per operation (this process: client + service; median of the runs; lower is better; "raw ÷ Tributary" above 0.8 meets the overhead target in CPU terms):',
    '',
    fmt(header),
    `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(fmt),
  ].join('\n');
};
