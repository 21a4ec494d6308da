import type { CellResult } from './measure.ts';
import type { ReplayResult } from './replay.ts';
import type { Shape } from './shapes.ts';

export type Results = Record<string, Record<string, CellResult | undefined>>;

export interface Bar {
  bar: string;
  measured: string;
  /** null: not measured (engine missing, cell skipped or failed). */
  pass: boolean | null;
}

/** "Flat" as this bench checks it: the per-unit cost at the largest size is at most this multiple of the smaller. */
export const FLAT_MAX_RATIO = 1.5;
const US_MAX = 50;
const LG_MIN_RATIO = 20;
const REPLAY_MIN = 100_000;

/** Which figure of a cell: median wall time, or process CPU time, per step/node. */
export type Metric = 'wall' | 'cpu';

const us = (c: CellResult | undefined, metric: Metric = 'wall') => (c?.status === 'ok' ? (metric === 'wall' ? c.usPerUnit : c.cpuUsPerUnit) : undefined);

/**
 * The ratio a / b of two cells' µs per unit, when both were measured.
 *
 * @example
 * ratio(orchestaiCell, floorCell); // e.g. 12.5 (orchestai is 12.5x the floor)
 */
export function ratio(a: CellResult | undefined, b: CellResult | undefined, metric: Metric = 'wall'): number | undefined {
  const x = us(a, metric);
  const y = us(b, metric);
  return x !== undefined && y !== undefined && y > 0 ? x / y : undefined;
}

function cellText(c: CellResult | undefined, metric: Metric): string {
  if (!c) return 'n/a';
  if (c.status === 'ok') {
    const v = us(c, metric)!;
    return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  }
  if (c.status === 'skipped') return 'skipped (> budget)';
  return 'error';
}

const fmtRatio = (r: number | undefined) => (r === undefined ? '-' : r >= 100 ? `${r.toFixed(0)}x` : `${r.toFixed(1)}x`);

/**
 * Renders the table: rows = shapes, columns = engines (µs per step/node by `metric`), then ratios.
 *
 * @example
 * console.log(renderTable(shapes, engines, results));
 */
export function renderTable(shapes: Shape[], engines: { id: string; title: string }[], results: Results, metric: Metric = 'wall'): string {
  const head = [metric === 'wall' ? 'median wall µs/step|node' : 'process CPU µs/step|node', ...engines.map((e) => e.title), 'orchestai/floor', 'LG+MemSaver/orchestai'];
  const rows = shapes.map((s) => [
    s.label,
    ...engines.map((e) => cellText(results[e.id]?.[s.label], metric)),
    fmtRatio(ratio(results.orchestai?.[s.label], results.floor?.[s.label], metric)),
    fmtRatio(ratio(results['langgraph-memorysaver']?.[s.label], results.orchestai?.[s.label], metric)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const sep = '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(head), sep, ...rows.map(line)].join('\n');
}

/**
 * Checks the issue's acceptance bars against what was measured; nothing measured means pass = null.
 *
 * @example
 * evaluateBars(results, replay).filter((b) => b.pass === false);
 */
export function evaluateBars(results: Results, replay: ReplayResult | undefined): Bar[] {
  const o = results.orchestai ?? {};
  const bars: Bar[] = [];
  for (const [kind, unit, small, big] of [['chain', 'step', 'chain N=100', 'chain N=1000'], ['fan-out', 'node', 'fan-out W=100', 'fan-out W=1000']] as const) {
    const a = us(o[small]);
    const b = us(o[big]);
    bars.push({
      bar: `orchestai ${kind} <= ${US_MAX} µs/${unit} at ${small.split(' ')[1]} and ${big.split(' ')[1]}`,
      measured: a === undefined || b === undefined ? 'not measured' : `${a.toFixed(1)} and ${b.toFixed(1)} µs/${unit}`,
      pass: a === undefined || b === undefined ? null : a <= US_MAX && b <= US_MAX,
    });
    bars.push({
      bar: `orchestai ${kind} flat (${big.split(' ')[1]} / ${small.split(' ')[1]} <= ${FLAT_MAX_RATIO})`,
      measured: a === undefined || b === undefined ? 'not measured' : `${(b / a).toFixed(2)}`,
      pass: a === undefined || b === undefined ? null : b / a <= FLAT_MAX_RATIO,
    });
  }
  const lgRatios = Object.keys(o)
    .map((label) => ({ label, r: ratio(results['langgraph-memorysaver']?.[label], o[label]) }))
    .filter((x): x is { label: string; r: number } => x.r !== undefined);
  const worst = lgRatios.sort((x, y) => x.r - y.r)[0];
  const cpuAtWorst = worst ? ratio(results['langgraph-memorysaver']?.[worst.label], o[worst.label], 'cpu') : undefined;
  bars.push({
    bar: `orchestai >= ${LG_MIN_RATIO}x faster per step than LangGraph+MemorySaver (wall, every shape)`,
    measured: worst
      ? `min ${worst.r.toFixed(1)}x (${worst.label}; by process CPU time there: ${cpuAtWorst === undefined ? '-' : cpuAtWorst.toFixed(1) + 'x'}); per shape: ${[...lgRatios].sort((x, y) => x.label.localeCompare(y.label)).map((x) => `${x.label} ${x.r.toFixed(1)}x`).join(', ')}`
      : 'not measured',
    pass: worst ? worst.r >= LG_MIN_RATIO : null,
  });
  const eps = replay?.status === 'ok' ? replay.eventsPerSec : undefined;
  bars.push({
    bar: `replay >= ${REPLAY_MIN.toLocaleString('en-US')} events/s (1000-chain history)`,
    measured: eps === undefined ? (replay?.note ?? 'not measured') : `${eps.toLocaleString('en-US')} events/s`,
    pass: eps === undefined ? null : eps >= REPLAY_MIN,
  });
  return bars;
}
