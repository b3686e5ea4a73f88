/**
 * `node benchmarks/dist/profileTop.js <file.cpuprofile> [top]`: the functions with the most
 * self time in a `--cpu-prof` profile (share of all samples), with file:line, as Markdown.
 * Lines inside packages/ are shown relative to the repository.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  positionTicks?: { line: number; ticks: number }[];
}

const [file, topArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
const total = profile.samples.length;
const self = new Map<string, { ticks: number; lines: Map<number, number> }>();
for (const node of profile.nodes) {
  const ticks = node.hitCount ?? 0;
  if (!ticks) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\//, '').replace(/^.*?\/(packages|node_modules|benchmarks)\//, '$1/');
  const key = `${functionName || '(anonymous)'} — ${where ? `${where}:${lineNumber + 1}` : '(native)'}`;
  const entry = self.get(key) ?? { ticks: 0, lines: new Map() };
  entry.ticks += ticks;
  for (const p of node.positionTicks ?? []) entry.lines.set(p.line, (entry.lines.get(p.line) ?? 0) + p.ticks);
  self.set(key, entry);
}
const rows = [...self.entries()].sort((a, b) => b[1].ticks - a[1].ticks).slice(0, Number(topArg ?? 15));
process.stdout.write(`| self % | function — file:line (hottest lines) |\n|---|---|\n`);
for (const [key, { ticks, lines }] of rows) {
  const hot = [...lines.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([line, t]) => `:${line} ${((t / total) * 100).toFixed(1)} %`);
  process.stdout.write(`| ${((ticks / total) * 100).toFixed(1)} | ${key}${hot.length ? ` (${hot.join(', ')})` : ''} |\n`);
}
process.stdout.write(`\n${total} samples.\n`);
