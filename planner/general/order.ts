import { words } from '../encode/features.ts';
import type { CatalogView } from './catalog-view.ts';
import { logit, type LogisticModel } from './logistic.ts';
import { isStopWord, stem } from '../encode/stems.ts';

/**
 * The order of a plan's steps. A learned pairwise model says whether tool a comes before tool b
 * from catalog-independent evidence (which one the request mentions first, overall and by the words
 * that tell the two apart; which way the tool graph links them; look-ups first); the plan takes the
 * order that agrees best with all pairs. A tool's place in the graph (source or sink) was a feature
 * once: it fitted the training tools' habits and ordered new tools worse than chance.
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

/** A request's words as the order features read them, and where it first mentions each tool. */
export interface Mentions {
  /** Mention position of each tool asked about (see `mentionAt`). */
  at: Map<number, number>;
  /** Each word's stem ('' for a stop word) and its catalog idf. */
  stems: string[];
  idf: Float64Array;
}

/**
 * Where the request first mentions tool `a` by a word that tool `b` lacks (the rarer such words,
 * as `mentionAt`), as a share of its length; -1 when no such word occurs. "Cancel my alarm and set
 * a new one" mentions `alarm_cancel` before `alarm_set` by "cancel" vs "set", not by the shared "alarm".
 */
function mentionApart(view: CatalogView, m: Mentions, a: number, b: number): number {
  let best = 0;
  const w = new Float64Array(m.stems.length);
  m.stems.forEach((s, k) => {
    if (s !== '' && view.stemSets[a].has(s) && !view.stemSets[b].has(s)) { w[k] = m.idf[k]; if (w[k] > best) best = w[k]; }
  });
  if (best === 0) return -1;
  return w.findIndex((x) => x >= 0.6 * best) / m.stems.length;
}

/** Features of "a before b". */
export function pairFeatures(view: CatalogView, a: number, b: number, m: Mentions): number[] {
  const ab = view.feeds[a].includes(b) ? 1 : 0, ba = view.feeds[b].includes(a) ? 1 : 0;
  const pa = mentionApart(view, m, a, b), pb = mentionApart(view, m, b, a);
  return [ab - ba, ab * ba, m.at.get(a)! - m.at.get(b)!, Number(view.lookup[a]) - Number(view.lookup[b]), pa < 0 || pb < 0 ? 0 : pa - pb];
}

/** Mention positions of `tools` in `request`, with its stemmed words. */
export function mentions(view: CatalogView, request: string, tools: readonly number[]): Mentions {
  const ws = words(request);
  const stems = ws.map((w) => (isStopWord(w) ? '' : stem(w)));
  return { at: new Map(tools.map((i) => [i, mentionAt(view, ws, i)])), stems, idf: Float64Array.from(stems, (s) => (s === '' ? 0 : view.stemIdf(s))) };
}

/** Every ordering of `xs`. */
function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/**
 * The log-probability that each of `tools` precedes each other one, row-major (`tools.length`
 * squared; the diagonal is 0): the pairwise model's logit plus `prefer`'s extra log-odds per
 * "a\0b" name pair (from remembered examples).
 *
 * @example
 * pairLogProbs(view, 'find a flight and book it', [3, 7], model)[1] // log P(3 before 7)
 */
export function pairLogProbs(view: CatalogView, request: string, tools: readonly number[], model: LogisticModel, prefer?: ReadonlyMap<string, number>): Float64Array {
  const m = mentions(view, request, tools);
  const n = tools.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const a = tools[i], b = tools[j];
      const z = logit(model, pairFeatures(view, a, b, m)) + (prefer?.get(`${view.names[a]}\u0000${view.names[b]}`) ?? 0);
      out[i * n + j] = -Math.log1p(Math.exp(-z));
    }
  }
  return out;
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
  const { at } = mentions(view, request, tools);
  const byMention = [...tools].sort((a, b) => at.get(a)! - at.get(b)! || a - b);
  if (!model || tools.length < 2 || tools.length > MAX_PERMUTED) return byMention;
  const n = byMention.length;
  const before = pairLogProbs(view, request, byMention, model, prefer);
  let best = byMention, bestScore = -Infinity;
  for (const p of permutations([...byMention.keys()])) {
    let score = 0;
    for (let x = 0; x < n; x++) for (let y = x + 1; y < n; y++) score += before[p[x] * n + p[y]];
    if (score > bestScore + 1e-12) { bestScore = score; best = p.map((i) => byMention[i]); }
  }
  return best;
}
