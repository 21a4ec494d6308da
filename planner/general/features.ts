import { featurize } from '../encode/features.ts';
import { splitRequestClauses } from '../zero-shot/clauses.ts';
import type { CatalogView } from './catalog-view.ts';
import { contentStems } from '../encode/stems.ts';
import { rankedBy } from './decode.ts';

/**
 * Catalog-independent features of (request, tool) pairs. Nothing here is per tool: a tool enters
 * only through its text and its place in the tool graph, so weights fitted on one catalog score
 * the tools of any other.
 */

/** A request read once: the stage-1 features of every tool of the catalog. */
export interface ReadRequest {
  stage1: Float64Array[];
  /** Per tool, the clause it resembles most (tf-idf cosine), by index; -1 when none does or the request is one clause. */
  clause: Int32Array;
  /** Per clause of a request of several: the tool it resembles most (tf-idf cosine), that cosine and the runner-up tool's. */
  clauseTools?: ClauseTool[];
  /** The clauses' texts, when the request has several (as `clauseTools`). */
  clauseTexts?: string[];
}

/** The tool one clause resembles most (-1 when it resembles none), with its cosine and the runner-up's. */
export interface ClauseTool { tool: number; cosine: number; runnerUp: number }

/** Number of stage-1 features. */
export const STAGE1_SIZE = 16;
/** Number of stage-2 features. */
export const STAGE2_SIZE = 12;

/**
 * Per tool, the share of `wanted` stems (with their idf `weights`, summing to `total`) its text has:
 * each stem's weight goes to the tools that have it (`toolsWithStem`), in the stems' order, so
 * each tool's sum is the one a per-tool scan would add up.
 */
function coverages(view: CatalogView, wanted: readonly string[], weights: Float64Array, total: number): Float64Array {
  const hit = new Float64Array(view.names.length);
  if (total <= 0) return hit;
  for (let j = 0; j < wanted.length; j++) for (const t of view.toolsWithStem.get(wanted[j]) ?? []) hit[t] += weights[j];
  for (let t = 0; t < hit.length; t++) hit[t] /= total;
  return hit;
}

/** The share of `wanted` stems (with their idf `weights`, summing to `total`) present in `have`. */
function coverage(wanted: readonly string[], weights: Float64Array, total: number, have: ReadonlySet<string>): number {
  if (total <= 0) return 0;
  let hit = 0;
  for (let j = 0; j < wanted.length; j++) if (have.has(wanted[j])) hit += weights[j];
  return hit / total;
}

/** Appends, for column `j`, each value minus the column's best and 1 / (1 + its rank). */
function relative(rows: Float64Array[], j: number, at: number): void {
  const column = Float64Array.from(rows, (r) => r[j]);
  let best = -Infinity;
  for (const x of column) if (x > best) best = x;
  rankedBy(column).forEach((i, rank) => {
    rows[i][at] = column[i] - best;
    rows[i][at + 1] = 1 / (1 + rank);
  });
}

/**
 * Stage-1 features of every tool for `request`: tf-idf cosine with the whole request and its best
 * clause, idf-weighted coverage of the tool's name and description words by the request, of the
 * best clause's words by the tool, graph degree; then each (but degree) relative to the catalog's
 * best and as a rank.
 *
 * @example
 * readRequest(view, 'cancel my 8am alarm').stage1.length === view.names.length
 */
export function readRequest(view: CatalogView, request: string): ReadRequest {
  const found = splitRequestClauses(request);
  const clauses = found.length > 0 ? found : [request.trim()];
  // Hundreds of tools against a few texts: each text meets the tools through the inverted index.
  const whole = view.postings.dots(featurize(request, view.cfg, view.idf));
  const clauseDots = clauses.map((c) => view.postings.dots(featurize(c, view.cfg, view.idf)));
  const clauseCover = clauses.map((c) => {
    const stems = contentStems(c);
    const weights = Float64Array.from(stems, view.stemIdf);
    return coverages(view, stems, weights, weights.reduce((a, x) => a + x, 0));
  });
  const have = new Set(contentStems(request));
  const clause = new Int32Array(view.names.length).fill(-1);
  const clauseTools: ClauseTool[] = clauses.map(() => ({ tool: -1, cosine: 0, runnerUp: 0 }));
  const stage1 = view.names.map((_, i) => {
    const row = new Float64Array(STAGE1_SIZE);
    let c1 = 0, cov = 0, anchor = 0;
    for (let k = 0; k < clauses.length; k++) {
      const s = clauseDots[k][i];
      if (s > c1) c1 = s;
      const best = clauseTools[k];
      if (s > best.cosine) { best.runnerUp = best.cosine; best.cosine = s; best.tool = i; } else if (s > best.runnerUp) best.runnerUp = s;
      if (found.length > 1 && s > anchor + 1e-9) { anchor = s; clause[i] = k; }
      if (clauseCover[k][i] > cov) cov = clauseCover[k][i];
    }
    row[0] = whole[i];
    row[1] = c1;
    row[2] = coverage(view.nameStems[i], view.nameWeights[i], view.nameTotal[i], have);
    row[3] = coverage(view.descStems[i], view.descWeights[i], view.descTotal[i], have);
    row[4] = cov;
    row[5] = Math.log(1 + view.feeds[i].length + view.fedBy[i].length);
    return row;
  });
  for (let j = 0; j < 5; j++) relative(stage1, j, 6 + 2 * j);
  return { stage1, clause, ...(found.length > 1 ? { clauseTools, clauseTexts: clauses } : {}) };
}

/**
 * Stage-2 features from stage-1 logits `s`: a tool's own logit and rank, and the support it gets
 * from the graph (the best logit among tools it feeds and among tools feeding it, links with the
 * top tool), with look-up tools singled out: a plan often starts by looking up what its named step
 * needs ("check in my luggage" needs the flight's details first).
 *
 * @example
 * stage2Features(view, read, logits)[0].length === STAGE2_SIZE
 */
export function stage2Features(view: CatalogView, read: ReadRequest, s: Float64Array): Float64Array[] {
  const order = rankedBy(s);
  const rank = new Int32Array(s.length);
  order.forEach((i, r) => { rank[i] = r; });
  const best = s[order[0]];
  const maxOf = (xs: readonly number[]) => xs.reduce((m, u) => Math.max(m, s[u]), -10);
  return read.stage1.map((r1, t) => {
    const top = order[0] === t ? order[1] ?? t : order[0];
    const into = maxOf(view.feeds[t]), from = maxOf(view.fedBy[t]);
    const look = view.lookup[t] ? 1 : 0;
    const feedsTop = view.feeds[t].includes(top) ? 1 : 0, fedByTop = view.fedBy[t].includes(top) ? 1 : 0;
    return Float64Array.of(s[t], s[t] - best, 1 / (1 + rank[t]), into, from, feedsTop, fedByTop, look, look * feedsTop, look * into, r1[2], r1[1]);
  });
}
