import type { PlanNode } from '../types.ts';
import { linkKey } from '../metrics.ts';
import type { CatalogView } from './catalog-view.ts';

/**
 * Plan decoding over the tool graph: instead of keeping every tool over a threshold and ordering
 * them afterwards, the plan is the sequence of a few top candidates that scores best as a whole:
 * each tool's own log-odds, the log-probability of each pair's order under the pairwise model, and a
 * penalty for each step that the tool graph does not let follow the one before it. Plans in
 * catalogs with a graph are almost always chains along it, so a tool that fits no chain with the
 * others is dropped, and the order that makes a chain wins over one that does not.
 */

/** How a plan is decoded (stored in the model file; chosen on dev requests). */
export interface DecodeSettings {
  /** How many of the best-scored tools a plan may draw from. */
  candidates: number;
  /**
   * Weight of the pairwise order evidence: the log-probability of each pair's order. It is never
   * positive, so a step whose order is unsure costs something (a bonus for sure orders, tried
   * first, rewarded long plans over tightly linked tool families).
   */
  orderWeight: number;
  /** Penalty for a step the graph does not let follow the previous one. */
  breakPenalty: number;
  /** Added to each tool's log-odds (shifts plans longer or shorter). */
  bias: number;
}

/**
 * The best plan (candidate positions, in order) of `minLength`..`maxLength` steps, by depth-first
 * search over the candidates. `logOdds[i]` is candidate i's log-odds of being in the plan,
 * `before[i * n + j]` the log-probability that i precedes j, `linked[i * n + j]` whether i may feed
 * j. Deterministic: ties keep the first found, and candidates are tried in the given order.
 *
 * @example
 * // two candidates, 0 may feed 1 and likely precedes it:
 * bestPath(Float64Array.of(2, 1), Float64Array.of(0, -0.1, -2.3, 0), Uint8Array.of(0, 1, 0, 0), false, 1, 2, settings) // [0, 1]
 */
export function bestPath(logOdds: Float64Array, before: Float64Array, linked: Uint8Array, open: boolean, minLength: number, maxLength: number, settings: DecodeSettings): number[] {
  const n = logOdds.length;
  const { orderWeight, breakPenalty, bias } = settings;
  const path = new Int32Array(Math.max(1, maxLength));
  const used = new Uint8Array(n);
  let best: number[] = [], bestScore = -Infinity;
  const visit = (depth: number, score: number): void => {
    if (depth >= minLength && score > bestScore + 1e-12) { bestScore = score; best = Array.from(path.subarray(0, depth)); }
    if (depth >= maxLength) return;
    // Order evidence only costs (a log-probability), so no step gains more than its own log-odds: stop when even that cannot win.
    let bound = 0;
    for (let t = 0; t < n; t++) if (!used[t]) bound += Math.max(0, logOdds[t] + bias);
    if (score + bound <= bestScore) return;
    for (let t = 0; t < n; t++) {
      if (used[t]) continue;
      let d = logOdds[t] + bias;
      for (let k = 0; k < depth; k++) d += orderWeight * before[path[k] * n + t];
      if (depth > 0 && !open && !linked[path[depth - 1] * n + t]) d -= breakPenalty;
      used[t] = 1; path[depth] = t;
      visit(depth + 1, score + d);
      used[t] = 0;
    }
  };
  visit(0, 0);
  return best;
}

/**
 * Tool indices from the highest logit down (ties by index, so plans are deterministic).
 *
 * @example
 * rankedBy(Float64Array.of(0.1, 2, -1)) // [1, 0, 2]
 */
export function rankedBy(logits: ArrayLike<number>): number[] {
  // A bottom-up merge sort of the indices: stable, so ties stay in index order, and a plan sorts a
  // catalog's tools seven times, where Array#sort with a comparator took a tenth of planning at
  // 500 tools (three times slower on 500 numbers).
  const n = logits.length;
  let from = new Int32Array(n), to = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) to[k++] = logits[from[j]] > logits[from[i]] ? from[j++] : from[i++];
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return Array.from(from);
}

/** The least and most steps of a plan, and the logit a tool past the least must reach. */
export interface PlanLimits { threshold: number; minNodes: number; maxNodes: number }

/**
 * The tools plain thresholding keeps, best first: the `minNodes` best, then those reaching
 * `threshold`, at most `maxNodes` in all (`ranked` from `rankedBy(logits)`).
 *
 * @example
 * overThreshold(logits, rankedBy(logits), { threshold: 0, minNodes: 1, maxNodes: 5 })
 */
export function overThreshold(logits: ArrayLike<number>, ranked: readonly number[], limits: PlanLimits): number[] {
  return ranked.filter((t, r) => r < limits.maxNodes && (r < limits.minNodes || logits[t] >= limits.threshold));
}

/** Whether each candidate may feed each other one (row-major, `n` by `n`). */
export function linkMatrix(view: CatalogView, candidates: readonly number[]): Uint8Array {
  const n = candidates.length;
  const out = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    const feeds = view.feeds[candidates[i]];
    for (let j = 0; j < n; j++) if (i !== j && feeds.includes(candidates[j])) out[i * n + j] = 1;
  }
  return out;
}

/**
 * Plan nodes for `tools` in order: each depends on the one before it when the graph lets it feed
 * it (or the catalog has no graph), else on the nearest earlier one that may.
 *
 * @example
 * chain(view, [search, book], [0.9, 0.8]) // [{ id: 'n1', ... }, { id: 'n2', dependsOn: ['n1'], ... }]
 */
export function chain(view: CatalogView, tools: readonly number[], confidences: readonly number[]): PlanNode[] {
  const open = view.catalog.links.length === 0;
  return tools.map((t, j) => {
    let dependsOn: string[] = [];
    for (let k = j - 1; k >= 0; k--) {
      if (open || view.feeds[tools[k]].includes(t)) { dependsOn = [`n${k + 1}`]; break; }
    }
    return { id: `n${j + 1}`, worker: view.names[t], dependsOn, confidence: confidences[j] };
  });
}

/**
 * The links (as `linkKey`s) of `tools` chained along the graph (see `chain`).
 *
 * @example
 * chainedLinks(view, [search, book]) // ['search_flights, book_flight']
 */
export function chainedLinks(view: CatalogView, tools: readonly number[]): string[] {
  return chain(view, tools, tools.map(() => 1)).flatMap((n, j) => n.dependsOn.map((d) => linkKey(view.names[tools[Number(d.slice(1)) - 1]], view.names[tools[j]])));
}
