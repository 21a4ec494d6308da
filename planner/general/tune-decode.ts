import { f1, linkKey } from '../metrics.ts';
import type { Example } from '../types.ts';
import type { CatalogView } from './catalog-view.ts';
import { bestPath, chainedLinks, linkMatrix, overThreshold, rankedBy, type DecodeSettings, type PlanLimits } from './decode.ts';
import type { LogisticModel } from './logistic.ts';
import { orderTools, pairLogProbs } from './order.ts';

/**
 * Chooses how plans are decoded, on dev requests the model was not fitted on: graph decoding with
 * the settings that give the best node F1 plus link F1, or none (threshold and pairwise order) when
 * that scores best. Stage-2 logits and pair probabilities are computed once per request and the
 * grid is decoded from them, so tuning takes a second or two.
 */

/** Settings tried (ties keep the earlier). */
export const DECODE_GRID: DecodeSettings[] = [];
for (const candidates of [6, 8]) for (const orderWeight of [0.5, 1, 2]) for (const breakPenalty of [0, 1, 2, 4]) for (const bias of [-1, -0.5, 0, 0.5, 1]) DECODE_GRID.push({ candidates, orderWeight, breakPenalty, bias });

/** A dev request as tuning reads it: the labelled example and its stage-2 logits. */
export interface TuningRequest { example: Example; logits: Float64Array }

/** Node F1 plus link F1 of `tools` (in order, chained along the graph) against `gold`. */
function planScore(view: CatalogView, tools: readonly number[], gold: Example): number {
  return f1(tools.map((t) => view.names[t]), gold.nodes) + f1(chainedLinks(view, tools), gold.links.map((l) => linkKey(l.source, l.target)));
}

/**
 * The decode settings with the best mean node F1 + link F1 on `dev`, or undefined when keeping the
 * tools over `threshold` (at least `minNodes`) in pairwise order does at least as well.
 *
 * @example
 * const decode = chooseDecode(view, order, devRequests, { threshold: 0, minNodes: 2, maxNodes: 8 });
 */
export function chooseDecode(view: CatalogView, order: LogisticModel, dev: readonly TuningRequest[], limits: PlanLimits, grid: readonly DecodeSettings[] = DECODE_GRID): DecodeSettings | undefined {
  if (dev.length === 0) return undefined;
  const open = view.catalog.links.length === 0;
  const most = Math.max(...grid.map((g) => g.candidates));
  const read = dev.map((d) => {
    const ranked = rankedBy(d.logits);
    const candidates = ranked.slice(0, most);
    return { ranked, candidates, before: pairLogProbs(view, d.example.request, candidates, order), linked: linkMatrix(view, candidates) };
  });
  let total = 0;
  dev.forEach((d, i) => {
    const picked = overThreshold(d.logits, read[i].ranked, limits);
    total += planScore(view, orderTools(view, d.example.request, picked, order), d.example);
  });
  let best: { settings?: DecodeSettings; score: number } = { score: total / dev.length };
  for (const settings of grid) {
    let sum = 0;
    dev.forEach((d, i) => {
      const { candidates, before, linked } = read[i];
      const n = Math.min(settings.candidates, candidates.length);
      const sub = n === candidates.length ? { before, linked } : subMatrices(before, linked, candidates.length, n);
      const path = bestPath(Float64Array.from(candidates.slice(0, n), (t) => d.logits[t]), sub.before, sub.linked, open, Math.min(limits.minNodes, n), Math.min(limits.maxNodes, n), settings);
      sum += planScore(view, path.map((p) => candidates[p]), d.example);
    });
    if (sum / dev.length > best.score + 1e-9) best = { settings, score: sum / dev.length };
  }
  return best.settings;
}

/** The top-left `n` by `n` corner of `m` by `m` matrices. */
function subMatrices(before: Float64Array, linked: Uint8Array, m: number, n: number): { before: Float64Array; linked: Uint8Array } {
  const b = new Float64Array(n * n), l = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { b[i * n + j] = before[i * m + j]; l[i * n + j] = linked[i * m + j]; }
  return { before: b, linked: l };
}
