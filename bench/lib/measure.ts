import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { takeCalls } from './noop.ts';
import type { Runner, Shape } from './shapes.ts';

export interface MeasureOptions {
  /** Untimed runs first (JIT, caches): at least this many ... */
  warmupRuns: number;
  /** ... and until this much time has passed. */
  warmupMs: number;
  /** Timed runs: at least `minRuns`, and go on until `minTimeMs` has passed (capped by `maxRuns`). */
  minRuns: number;
  minTimeMs: number;
  maxRuns: number;
  /** Wall-clock budget for one cell (warm-up + timed). */
  budgetMs: number;
}

export interface CellResult {
  status: 'ok' | 'skipped' | 'error';
  runs: number;
  /** Median wall time of one run, ms. */
  medianMs?: number;
  minMs?: number;
  maxMs?: number;
  /** Median µs per step (chain) or per node (fan-out: total / (W + 2)). */
  usPerUnit?: number;
  /**
   * Process CPU time (user + system, all threads) over the timed runs, µs per step/node.
   * Less disturbed than wall time when other processes compete for the cores.
   */
  cpuUsPerUnit?: number;
  /** Fastest run's µs per step/node: the least disturbed run when the cores are shared. */
  minUsPerUnit?: number;
  note?: string;
  /** When skipped after one run: that run's time, ms (a single measurement, not a median). */
  firstRunMs?: number;
  loadavg1m: number;
  extra?: Record<string, unknown>;
}

/**
 * The median of a list of numbers.
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let untimedCpuUs = 0;

async function once(runner: Runner, shape: Shape): Promise<number> {
  takeCalls();
  const t0 = performance.now();
  await runner.run();
  const ms = performance.now() - t0;
  const calls = takeCalls();
  // A run that called the worker a different number of times did not do the work it is credited with.
  if (calls !== shape.units) throw new Error(`${shape.label}: expected ${shape.units} worker calls per run, saw ${calls}`);
  if (runner.after) {
    const c0 = process.cpuUsage();
    await runner.after();
    const c = process.cpuUsage(c0);
    untimedCpuUs += c.user + c.system; // cleanup is not part of the run: kept out of the CPU figure too
  }
  return ms;
}

/**
 * Times one (engine, shape) cell: warm-up, then repeated runs; reports the median.
 * Skips (without running) when `predictedRunMs` says the cell cannot fit the budget,
 * and skips after the first warm-up run when that run alone shows it cannot.
 *
 * @example
 * const cell = await measureCell(await floorEngine.prepare(chain(100)), chain(100), opts);
 */
export async function measureCell(runner: Runner, shape: Shape, opts: MeasureOptions, predictedRunMs?: number): Promise<CellResult> {
  const load = Number(loadavg()[0].toFixed(2));
  const needed = (runMs: number) => runMs * (1 + opts.minRuns);
  if (predictedRunMs !== undefined && needed(predictedRunMs) > opts.budgetMs) {
    return { status: 'skipped', runs: 0, loadavg1m: load, note: `skipped (> budget): predicted ${(predictedRunMs / 1000).toFixed(1)} s per run x ${1 + opts.minRuns} runs > ${opts.budgetMs / 1000} s budget` };
  }
  try {
    const start = performance.now();
    const first = await once(runner, shape);
    // A run of over `minTimeMs` already satisfies "or >= minTimeMs" alone: such a cell needs only 3 timed runs.
    const neededAfter = (runMs: number) => runMs * (1 + (runMs > opts.minTimeMs ? Math.min(3, opts.minRuns) : opts.minRuns));
    if (neededAfter(first) > opts.budgetMs) {
      return { status: 'skipped', runs: 0, firstRunMs: first, loadavg1m: load, note: `skipped (> budget): first run took ${(first / 1000).toFixed(1)} s; the runs needed > ${opts.budgetMs / 1000} s budget` };
    }
    let warm = 1;
    while ((warm < opts.warmupRuns || performance.now() - start < opts.warmupMs) && performance.now() - start < opts.budgetMs / 4) {
      await once(runner, shape);
      warm++;
    }
    const samples: number[] = [];
    const cpu0 = process.cpuUsage();
    untimedCpuUs = 0;
    const t0 = performance.now();
    const minRuns = first > opts.minTimeMs ? Math.min(3, opts.minRuns) : opts.minRuns;
    while (samples.length < opts.maxRuns && (samples.length < minRuns || performance.now() - t0 < opts.minTimeMs)) {
      if (performance.now() - start > opts.budgetMs && samples.length >= 3) break;
      samples.push(await once(runner, shape));
    }
    const cpu = process.cpuUsage(cpu0);
    const extra = runner.finish ? await runner.finish() : undefined;
    const med = median(samples);
    return {
      status: 'ok',
      runs: samples.length,
      medianMs: med,
      minMs: Math.min(...samples),
      maxMs: Math.max(...samples),
      usPerUnit: (med * 1000) / shape.units,
      minUsPerUnit: (Math.min(...samples) * 1000) / shape.units,
      cpuUsPerUnit: (cpu.user + cpu.system - untimedCpuUs) / (samples.length * shape.units),
      loadavg1m: load,
      note: samples.length < opts.minRuns ? `${samples.length} runs (each run > ${opts.minTimeMs} ms, or the budget ran out)` : undefined,
      extra,
    };
  } catch (err) {
    return { status: 'error', runs: 0, loadavg1m: load, note: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Predicts the run time at `units` from the same engine's earlier cells of the same
 * kind: log-log extrapolation from the last two (never assuming better than linear),
 * or linear from one. Undefined when there is nothing to go on.
 *
 * @example
 * predictRunMs([{ units: 100, ms: 10 }, { units: 400, ms: 160 }], 1000); // 1000 (quadratic)
 */
export function predictRunMs(prev: { units: number; ms: number }[], units: number): number | undefined {
  if (!prev.length) return undefined;
  const b = prev[prev.length - 1];
  let slope = 1;
  if (prev.length >= 2) {
    const a = prev[prev.length - 2];
    slope = Math.max(1, Math.log(b.ms / a.ms) / Math.log(b.units / a.units));
  }
  return b.ms * (units / b.units) ** slope;
}
