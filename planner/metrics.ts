import type { Catalog, Example, Plan } from './types.ts';

/** A predicted or gold graph in the paper's form: node names (a list, repeats kept) and "source, target" link strings. */
export interface GraphLists { nodes: string[]; links: string[] }

/** The paper's table, as fractions in [0, 1]. */
export interface PlanMetrics {
  /** Node F1, averaged over requests. */ nodeF1: number;
  /** Link F1, averaged over requests. */ linkF1: number;
  /** Share of requests with node F1 >= 0.99. */ accuracy: number;
  /** NH-1: per request, share of predicted nodes not in the catalog; averaged. */ nh1: number;
  /** NH-2: share of requests with any hallucinated node. */ nh2: number;
  /** LH-1: per request, share of predicted links not in the tool graph; averaged. */ lh1: number;
  /** LH-2: share of requests with any hallucinated link. */ lh2: number;
  /** Number of requests scored. */ n: number;
}

/**
 * F1 exactly as the paper's evaluate.py computes it: 0 when either list is empty; the intersection is
 * taken over SETS but precision and recall divide by the LIST lengths (so a repeated name counts
 * twice in the denominator). Keeping this quirk is what makes our numbers comparable to theirs.
 *
 * @example
 * f1(['a', 'b'], ['a', 'c']) // 0.5 (precision 1/2, recall 1/2)
 */
export function f1<T>(pred: readonly T[], gold: readonly T[]): number {
  if (pred.length === 0 || gold.length === 0) return 0;
  const g = new Set(gold);
  let inter = 0;
  for (const p of new Set(pred)) if (g.has(p)) inter++;
  const precision = inter / pred.length;
  const recall = inter / gold.length;
  return (2 * precision * recall) / (precision + recall + 1e-9);
}

/**
 * Per-request hallucination in the paper's form: [share of items not in `valid`, 1 if any else 0];
 * an empty prediction scores [0, 0].
 *
 * @example
 * hallucination(['a', 'x'], new Set(['a'])) // [0.5, 1]
 */
export function hallucination(items: readonly string[], valid: ReadonlySet<string>): [number, number] {
  if (items.length === 0) return [0, 0];
  let bad = 0;
  for (const it of items) if (!valid.has(it)) bad++;
  return [bad / items.length, bad > 0 ? 1 : 0];
}

/**
 * The "source, target" string the paper uses for a link.
 *
 * @example
 * linkKey('flight_search', 'book_flight') // 'flight_search, book_flight'
 */
export function linkKey(source: string, target: string): string {
  return `${source}, ${target}`;
}

/**
 * A plan in the paper's list form: nodes in plan order, one link per dependency edge.
 *
 * @example
 * planToLists(plan) // { nodes: ['flight_search', 'book'], links: ['flight_search, book'] }
 */
export function planToLists(plan: Plan): GraphLists {
  const byId = new Map(plan.nodes.map((n) => [n.id, n.worker]));
  const links: string[] = [];
  for (const n of plan.nodes) for (const d of n.dependsOn) links.push(linkKey(byId.get(d) ?? d, n.worker));
  return { nodes: plan.nodes.map((n) => n.worker), links };
}

/**
 * A gold example in the paper's list form.
 *
 * @example
 * exampleToLists({ id: '1', request: 'r', nodes: ['a', 'b'], links: [{ source: 'a', target: 'b' }] })
 * // { nodes: ['a', 'b'], links: ['a, b'] }
 */
export function exampleToLists(ex: Example): GraphLists {
  return { nodes: [...ex.nodes], links: ex.links.map((l) => linkKey(l.source, l.target)) };
}

const sorted = (xs: readonly string[]) => [...xs].sort().join('\n');

/**
 * Whether a predicted graph is the gold one: the same nodes (with repeats) and the same links.
 *
 * @example
 * sameGraph({ nodes: ['b', 'a'], links: ['a, b'] }, { nodes: ['a', 'b'], links: ['a, b'] }) // true
 */
export function sameGraph(pred: GraphLists, gold: GraphLists): boolean {
  return sorted(pred.nodes) === sorted(gold.nodes) && sorted([...new Set(pred.links)]) === sorted([...new Set(gold.links)]);
}

/**
 * The paper's metrics over aligned predictions and gold graphs.
 *
 * @example
 * scoreGraphs([{ nodes: ['a'], links: [] }], [{ nodes: ['a'], links: [] }], catalog).accuracy // 1
 */
export function scoreGraphs(preds: readonly GraphLists[], golds: readonly GraphLists[], catalog: Catalog): PlanMetrics {
  if (preds.length !== golds.length) throw new Error(`scoreGraphs: ${preds.length} predictions for ${golds.length} gold graphs`);
  const n = preds.length;
  if (n === 0) throw new Error('scoreGraphs: nothing to score (0 requests)');
  const tools = new Set(catalog.tools.map((t) => t.name));
  const graphLinks = new Set(catalog.links.map((l) => linkKey(l.source, l.target)));
  const sum = { nodeF1: 0, linkF1: 0, accuracy: 0, nh1: 0, nh2: 0, lh1: 0, lh2: 0 };
  for (let i = 0; i < n; i++) {
    const nf = f1(preds[i].nodes, golds[i].nodes);
    sum.nodeF1 += nf;
    sum.linkF1 += f1(preds[i].links, golds[i].links);
    sum.accuracy += nf >= 0.99 ? 1 : 0;
    const [a, b] = hallucination(preds[i].nodes, tools);
    sum.nh1 += a; sum.nh2 += b;
    const [c, d] = hallucination(preds[i].links, graphLinks);
    sum.lh1 += c; sum.lh2 += d;
  }
  return {
    nodeF1: sum.nodeF1 / n, linkF1: sum.linkF1 / n, accuracy: sum.accuracy / n,
    nh1: sum.nh1 / n, nh2: sum.nh2 / n, lh1: sum.lh1 / n, lh2: sum.lh2 / n, n,
  };
}

/**
 * Scores plans against gold examples (aligned by position).
 *
 * @example
 * const m = scorePlans(testExamples.map((e) => model.plan(e.request)), testExamples, catalog);
 */
export function scorePlans(plans: readonly Plan[], golds: readonly Example[], catalog: Catalog): PlanMetrics {
  return scoreGraphs(plans.map(planToLists), golds.map(exampleToLists), catalog);
}

/**
 * Formats metrics as the paper's percentages with two decimals.
 *
 * @example
 * formatMetrics(m) // 'NF 85.12  LF 61.03  Acc 56.20  NH-1 0.00 ...'
 */
export function formatMetrics(m: PlanMetrics): string {
  const p = (x: number) => (100 * x).toFixed(2);
  return `NF ${p(m.nodeF1)}  LF ${p(m.linkF1)}  Acc ${p(m.accuracy)}  NH-1 ${p(m.nh1)}  NH-2 ${p(m.nh2)}  LH-1 ${p(m.lh1)}  LH-2 ${p(m.lh2)}  (n=${m.n})`;
}
