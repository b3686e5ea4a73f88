/** The `p`-th percentile (0–100) of sorted values, nearest rank. */
export const percentile = (sorted: ArrayLike<number>, p: number): number => {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
};

/** Median, min and max of a few values (the runs of one cell). */
export const spread = (values: readonly number[]): { median: number; min: number; max: number } => {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = finite.length >> 1;
  const median = finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
  return { median, min: finite[0], max: finite[finite.length - 1] };
};

/** Human figures: 1.23M, 45.6k, 789, 0.372. */
export const formatValue = (value: number, unit: 'ops/s' | 'ms' | 'MB'): string => {
  if (!Number.isFinite(value)) return '—';
  if (unit === 'ms') return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
  if (unit === 'MB') return value.toFixed(2);
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(2)}k`;
  return value.toFixed(0);
};

/** Median with its range, e.g. `1.23M (1.20M–1.31M)`. */
export const formatSpread = (values: readonly number[], unit: 'ops/s' | 'ms' | 'MB'): string => {
  const { median, min, max } = spread(values);
  if (!Number.isFinite(median)) return '—';
  if (values.length < 2) return formatValue(median, unit);
  return `${formatValue(median, unit)} (${formatValue(min, unit)}–${formatValue(max, unit)})`;
};
