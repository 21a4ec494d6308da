import { words } from '../encode/features.ts';
import type { CatalogView } from './catalog-view.ts';
import type { ReadRequest } from './features.ts';
import { linkMatrix } from './decode.ts';
import { logit, type LogisticModel } from './logistic.ts';
import { isStopWord, stem } from '../encode/stems.ts';
import { lateOrder, wordOrder, type OrderWords } from './order-words.ts';

/**
 * The order of a plan's steps. A learned pairwise model says whether tool a comes before tool b
 * from catalog-independent evidence (which one the request mentions first, overall and by the words
 * that tell the two apart; which way the tool graph links them; look-ups first); the plan takes the
 * order that agrees best with all pairs. A tool's place in the graph (source or sink) was a feature
 * once: it fitted the training tools' habits and ordered new tools worse than chance.
 */

/** Number of pairwise order features. */
export const ORDER_SIZE = 5;

/**
 * How far the tools' words (order-words.ts) must lean, in mean log-odds, to order two steps the
 * request and graph leave open; chosen on the nested splits (zero-shot link F1 32.84 without the
 * words, 33.04 at 0.5, 33.18 at 1, with word pairs kept from 3 sightings).
 */
const WORD_ORDER_MARGIN = 1;

/**
 * How far the single words' lateness must lean (`lateOrder`) to order a pair the word pairs leave
 * open. On UltraTool's nested splits (`scripts/general/nested-held-out.ts`) zero-shot link F1 went
 * from 33.20 to 33.96, 33.97, 34.17, 34.07 and 33.75 at 0, 0.15, 0.3, 0.5 and 1 (0.5 first tried),
 * node F1 and few-shot unchanged; `scripts/general/nested-errors.ts` then orders 993 of the 1,523
 * silent gold pairs right (906 before).
 */
const LATE_ORDER_MARGIN = 0.5;

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

/**
 * Which of tools `a` and `b` a request (`m`, its words as `mentions` reads them) mentions first by
 * the words that tell them apart: 1 for `a`, -1 for `b`, 0 when it does not say.
 */
export function apartOrder(view: CatalogView, m: Mentions, a: number, b: number): number {
  const pa = mentionApart(view, m, a, b), pb = mentionApart(view, m, b, a);
  return pa < 0 || pb < 0 || pa === pb ? 0 : pa < pb ? 1 : -1;
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

/**
 * The ordering of positions 0..n-1 that maximises the sum, over each pair placed x before y, of
 * `pair[x * n + y]`; ties keep the first found (from the identity), so the result is deterministic.
 */
function bestPermutation(n: number, pair: Float64Array): number[] {
  let best = [...Array(n).keys()], bestScore = -Infinity;
  for (const p of permutations([...Array(n).keys()])) {
    let score = 0;
    for (let x = 0; x < n; x++) for (let y = x + 1; y < n; y++) score += pair[p[x] * n + p[y]];
    if (score > bestScore + 1e-12) { bestScore = score; best = p; }
  }
  return best;
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
  return bestPermutation(byMention.length, pairLogProbs(view, request, byMention, model, prefer)).map((i) => byMention[i]);
}

/**
 * `planned` (catalog indices, in the planner's order) re-ordered where the request (`read`, see
 * `readRequest`, which knows the clause each tool resembles most) or the graph
 * says which of two steps comes first: a one-way graph link, else the clauses the two resemble
 * most ("log in, then move the deposit, then check the balance"); other pairs keep the planned
 * order. Of the pairwise evidence the learned order model weighs, these two transfer to tools it
 * never saw: on tools held out of UltraTool's seen side (nested protocol, five seeds) a one-way
 * link ordered 98.6% of pairs right and distinct clauses 87.8%, while the look-up words the model
 * also trusts ordered 54.8%. By scripts/general/nested-held-out.ts the re-ordering moved zero-shot
 * link F1 32.08 -> 32.88 (same tools). A planner with remembered examples does not re-order (see
 * planner.ts): there it moved few-shot link F1 +0.5 on the nested splits but -2.7 on the held-out
 * split of bench/planner-zero-shot.ts, the examples' own order being the better evidence.
 * Within one clause, the first word apart from the other tool ordered no better than the planner.
 * With `words` (a model's `orderWords` and the request), a pair none of that orders, and the request
 * names with no word apart, is ordered by the tools' own words where they lean far enough
 * (order-words.ts).
 *
 * @example
 * reorderByEvidence(view, readRequest(view, 'book a double room, then check the booking'), [query, book]) // [book, query]
 */
export function reorderByEvidence(view: CatalogView, read: Pick<ReadRequest, 'clause'>, planned: readonly number[], words?: { table: OrderWords; request: string }): number[] {
  const n = planned.length;
  if (n < 2 || n > MAX_PERMUTED) return [...planned];
  const clause = planned.map((t) => read.clause[t]);
  const linked = linkMatrix(view, planned);
  const m = words ? mentions(view, words.request, planned) : undefined;
  // +1 where the evidence puts i before j, -1 after; the planned order counts half where it says
  // nothing. Every piece of evidence is antisymmetric, so each pair is read once (i < j) and mirrored.
  const say = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const ij = linked[i * n + j], ji = linked[j * n + i];
    let v: number;
    if (ij !== ji) v = ij ? 1 : -1;
    else if (clause[i] >= 0 && clause[j] >= 0 && clause[i] !== clause[j]) v = clause[i] < clause[j] ? 1 : -1;
    else {
      // Where the request has no word of one tool that the other lacks, the tools' own words may still
      // say: their word pairs, then, where those do not lean far enough, the single words.
      const silent = words && m && apartOrder(view, m, planned[i], planned[j]) === 0;
      const t = silent ? wordOrder(view, words.table, planned[i], planned[j]) : 0;
      const u = silent && Math.abs(t) <= WORD_ORDER_MARGIN ? lateOrder(view, words.table, planned[i], planned[j]) : 0;
      v = Math.abs(t) > WORD_ORDER_MARGIN ? Math.sign(t) : Math.abs(u) > LATE_ORDER_MARGIN ? Math.sign(u) : 0.5;
    }
    say[i * n + j] = v;
    say[j * n + i] = -v;
  }
  return bestPermutation(n, say).map((i) => planned[i]);
}
