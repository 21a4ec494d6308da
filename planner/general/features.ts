import { featurize, sparseDot } from '../encode/features.ts';
import { splitRequestClauses } from '../zero-shot/clauses.ts';
import type { CatalogView } from './catalog-view.ts';
import { contentStems, stem } from './text.ts';

/**
 * Catalog-independent features of (request, tool) pairs. Nothing here is per tool: a tool enters
 * only through its text and its place in the tool graph, so weights fitted on one catalog score
 * the tools of any other.
 */

/** A request read once: its clauses, their tf-idf vectors in the catalog's space, their content stems. */
export interface ReadRequest { clauses: string[]; clauseBest: number[]; stems: string[]; stage1: Float64Array[] }

/** Number of stage-1 features. */
export const STAGE1_SIZE = 16;
/** Number of stage-2 features. */
export const STAGE2_SIZE = 12;

/** Words that mark a look-up tool, which plans put before the step that uses what it finds. */
const LOOKUP = new Set(['search', 'query', 'check', 'inquiry', 'info', 'information', 'find', 'look', 'status', 'lookup', 'get', 'list', 'view', 'retrieve'].map(stem));

/** The idf-weighted share of `wanted` stems present in `have`. */
function coverage(view: CatalogView, wanted: readonly string[], have: ReadonlySet<string>): number {
  let hit = 0, all = 0;
  for (const s of wanted) {
    const k = view.stemIdf(s);
    all += k;
    if (have.has(s)) hit += k;
  }
  return all > 0 ? hit / all : 0;
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
  const whole = featurize(request, view.cfg, view.idf);
  const clauseVecs = clauses.map((c) => featurize(c, view.cfg, view.idf));
  const clauseStems = clauses.map((c) => contentStems(c));
  const stems = contentStems(request);
  const have = new Set(stems);
  const clauseBest = clauses.map(() => 0);
  const stage1 = view.names.map((_, i) => {
    const row = new Float64Array(STAGE1_SIZE);
    let c1 = 0, cov = 0;
    clauseVecs.forEach((v, k) => {
      const s = sparseDot(v, view.docs[i]);
      if (s > c1) c1 = s;
      if (s > clauseBest[k]) clauseBest[k] = s;
      const c = coverage(view, clauseStems[k], view.stemSets[i]);
      if (c > cov) cov = c;
    });
    row[0] = sparseDot(whole, view.docs[i]);
    row[1] = c1;
    row[2] = coverage(view, view.nameStems[i], have);
    row[3] = coverage(view, view.descStems[i], have);
    row[4] = cov;
    row[5] = Math.log(1 + view.feeds[i].length + view.fedBy[i].length);
    return row;
  });
  for (let j = 0; j < 5; j++) relative(stage1, j, 6 + 2 * j);
  return { clauses, clauseBest, stems, stage1 };
}

/** Whether a tool's name marks it a look-up (search, query, check, ...). */
export function isLookup(view: CatalogView, i: number): boolean {
  return view.nameStems[i].some((s) => LOOKUP.has(s));
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
  const order = [...s.keys()].sort((a, b) => s[b] - s[a] || a - b);
  const rank = new Int32Array(s.length);
  order.forEach((i, r) => { rank[i] = r; });
  const best = s[order[0]];
  const maxOf = (xs: readonly number[]) => xs.reduce((m, u) => Math.max(m, s[u]), -10);
  return read.stage1.map((r1, t) => {
    const top = order[0] === t ? order[1] ?? t : order[0];
    const into = maxOf(view.feeds[t]), from = maxOf(view.fedBy[t]);
    const look = isLookup(view, t) ? 1 : 0;
    const feedsTop = view.feeds[t].includes(top) ? 1 : 0, fedByTop = view.fedBy[t].includes(top) ? 1 : 0;
    return Float64Array.of(s[t], s[t] - best, 1 / (1 + rank[t]), into, from, feedsTop, fedByTop, look, look * feedsTop, look * into, r1[2], r1[1]);
  });
}
