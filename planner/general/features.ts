import { dotScattered, featurize, scattered } from '../encode/features.ts';
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
}

/** The tool one clause resembles most (-1 when it resembles none), with its cosine and the runner-up's. */
export interface ClauseTool { tool: number; cosine: number; runnerUp: number }

/** Number of stage-1 features. */
export const STAGE1_SIZE = 16;
/** Number of stage-2 features. */
export const STAGE2_SIZE = 12;

/** The share of `wanted` stems (with their idf `weights`, summing to `total`) present in `have`. */
function coverage(wanted: readonly string[], weights: Float64Array, total: number, have: ReadonlySet<string>): number {
  if (total <= 0) return 0;
  let hit = 0;
  for (let j = 0; j < wanted.length; j++) if (have.has(wanted[j])) hit += weights[j];
  return hit / total;
}

/** Appends, for column `j`, each value minus the column's best and 1 / (1 + its rank). */
function relative(rows: Float64Array[], j: number, at: number): void {
  let best = -Infinity;
  for (const r of rows) if (r[j] > best) best = r[j];
  const order = rows.map((_, i) => i).sort((a, b) => rows[b][j] - rows[a][j] || a - b);
  order.forEach((i, rank) => {
    rows[i][at] = rows[i][j] - best;
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
  // Hundreds of tools against a few texts: each text is made dense once (see `scattered`).
  const whole = scattered(featurize(request, view.cfg, view.idf), view.cfg.dim);
  const clauseVecs = clauses.map((c) => scattered(featurize(c, view.cfg, view.idf), view.cfg.dim));
  const clauseStems = clauses.map((c) => contentStems(c));
  const clauseWeights = clauseStems.map((xs) => Float64Array.from(xs, view.stemIdf));
  const clauseTotals = clauseWeights.map((w) => w.reduce((a, x) => a + x, 0));
  const have = new Set(contentStems(request));
  const clause = new Int32Array(view.names.length).fill(-1);
  const clauseTools: ClauseTool[] = clauses.map(() => ({ tool: -1, cosine: 0, runnerUp: 0 }));
  const stage1 = view.names.map((_, i) => {
    const row = new Float64Array(STAGE1_SIZE);
    let c1 = 0, cov = 0, anchor = 0;
    clauseVecs.forEach((v, k) => {
      const s = dotScattered(v, view.docs[i]);
      if (s > c1) c1 = s;
      const best = clauseTools[k];
      if (s > best.cosine) { best.runnerUp = best.cosine; best.cosine = s; best.tool = i; } else if (s > best.runnerUp) best.runnerUp = s;
      if (found.length > 1 && s > anchor + 1e-9) { anchor = s; clause[i] = k; }
      const c = coverage(clauseStems[k], clauseWeights[k], clauseTotals[k], view.stemSets[i]);
      if (c > cov) cov = c;
    });
    row[0] = dotScattered(whole, view.docs[i]);
    row[1] = c1;
    row[2] = coverage(view.nameStems[i], view.nameWeights[i], view.nameTotal[i], have);
    row[3] = coverage(view.descStems[i], view.descWeights[i], view.descTotal[i], have);
    row[4] = cov;
    row[5] = Math.log(1 + view.feeds[i].length + view.fedBy[i].length);
    return row;
  });
  for (let j = 0; j < 5; j++) relative(stage1, j, 6 + 2 * j);
  return { stage1, clause, ...(found.length > 1 ? { clauseTools } : {}) };
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
