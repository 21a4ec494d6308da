import { words } from '../encode/features.ts';
import type { CatalogView } from './catalog-view.ts';
import { logit, type LogisticModel } from './logistic.ts';
import { isStopWord, stem } from './text.ts';

/**
 * The order of a plan's steps. A learned pairwise model says whether tool a comes before tool b
 * from catalog-independent evidence (which one the request mentions first, which way the tool
 * graph links them, look-ups first, graph sources before sinks); the plan takes the order that
 * agrees best with all pairs.
 */

/** Number of pairwise order features. */
export const ORDER_SIZE = 5;

/** Plans longer than this are ordered by mention alone (permutations grow factorially). */
const MAX_PERMUTED = 6;

/**
 * Where the request first mentions tool `i`, as a share of its length: the first word whose stem
 * is one of the tool's rarer words (at least 0.6 of its best match's idf); 0.5 when none is.
 */
export function mentionAt(view: CatalogView, requestWords: readonly string[], i: number): number {
  const weights = requestWords.map((w) => (isStopWord(w) || !view.stemSets[i].has(stem(w)) ? 0 : view.stemIdf(stem(w))));
  const best = Math.max(0, ...weights);
  if (best === 0) return 0.5;
  return weights.findIndex((x) => x >= 0.6 * best) / requestWords.length;
}

/** Graph position: +1 for a tool that only feeds others, -1 for one only fed. */
function sourceness(view: CatalogView, i: number): number {
  const out = view.feeds[i].length, inn = view.fedBy[i].length;
  return (out - inn) / (1 + out + inn);
}

/** Features of "a before b". */
export function pairFeatures(view: CatalogView, a: number, b: number, at: ReadonlyMap<number, number>): number[] {
  const ab = view.feeds[a].includes(b) ? 1 : 0, ba = view.feeds[b].includes(a) ? 1 : 0;
  return [ab - ba, ab * ba, at.get(a)! - at.get(b)!, Number(view.lookup[a]) - Number(view.lookup[b]), sourceness(view, a) - sourceness(view, b)];
}

/** Mention positions of `tools` in `request`. */
export function mentions(view: CatalogView, request: string, tools: readonly number[]): Map<number, number> {
  const ws = words(request);
  return new Map(tools.map((i) => [i, mentionAt(view, ws, i)]));
}

/** Every ordering of `xs`. */
function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/**
 * `tools` (catalog indices) in the order that maximises the summed log-probability of every pair's
 * order under `model` (plus `prefer`'s extra log-odds per "a\0b" name pair, from remembered
 * examples); without a model, or past six tools, in mention order.
 *
 * @example
 * orderTools(view, 'book a flight and check in my luggage', [3, 7], model) // [7, 3] or [3, 7]
 */
export function orderTools(view: CatalogView, request: string, tools: readonly number[], model?: LogisticModel, prefer?: ReadonlyMap<string, number>): number[] {
  const at = mentions(view, request, tools);
  const byMention = [...tools].sort((a, b) => at.get(a)! - at.get(b)! || a - b);
  if (!model || tools.length < 2 || tools.length > MAX_PERMUTED) return byMention;
  const before = new Map<string, number>();
  for (const a of tools) {
    for (const b of tools) {
      if (a === b) continue;
      const z = logit(model, pairFeatures(view, a, b, at)) + (prefer?.get(`${view.names[a]}\u0000${view.names[b]}`) ?? 0);
      before.set(`${a},${b}`, -Math.log1p(Math.exp(-z)));
    }
  }
  let best = byMention, bestScore = -Infinity;
  for (const p of permutations(byMention)) {
    let score = 0;
    for (let x = 0; x < p.length; x++) for (let y = x + 1; y < p.length; y++) score += before.get(`${p[x]},${p[y]}`)!;
    if (score > bestScore + 1e-12) { bestScore = score; best = p; }
  }
  return best;
}
