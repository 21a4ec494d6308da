import type { Catalog, Example, Plan, PlanFn } from './types.ts';
import { exampleToLists, planToLists, sameGraph, scoreGraphs, type GraphLists, type PlanMetrics } from './metrics.ts';
import type { PlannerModel } from './model/planner.ts';

/** Metrics plus the validity audit and planning latency. */
export interface Evaluation extends PlanMetrics {
  /** Plans with a cycle, an unknown worker, or a dependency on a missing/later node (must be 0). */
  invalidPlans: number;
  latencyMs: { p50: number; p99: number; mean: number };
  /** With `failures` asked for: how many plans are not the gold graph, and the first few of them. */
  failures?: { count: number; shown: PlanFailure[] };
}

/** A request whose plan is not its gold graph, as `orchestai eval --failures` lists it. */
export interface PlanFailure {
  id: string;
  request: string;
  gold: GraphLists;
  plan: GraphLists;
  confidence: number;
  lowConfidence: boolean;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Keep the first this many requests whose plan is not the gold graph (in the examples' order). */
  failures?: number;
}

/** The plans that are not their gold graphs (both already in list form): how many, and the first `keep`. */
function failuresOf(plans: readonly Plan[], preds: readonly GraphLists[], examples: readonly Example[], golds: readonly GraphLists[], keep: number): { count: number; shown: PlanFailure[] } {
  let count = 0;
  const shown: PlanFailure[] = [];
  plans.forEach((p, i) => {
    const gold = golds[i], plan = preds[i];
    if (sameGraph(plan, gold)) return;
    count++;
    if (shown.length < keep) shown.push({ id: examples[i].id, request: examples[i].request, gold, plan, confidence: p.confidence, lowConfidence: p.lowConfidence });
  });
  return { count, shown };
}

/**
 * Why a plan is not a valid DAG of known workers, or undefined when it is: unknown worker, duplicate
 * id, dependency on an unknown node, or a cycle.
 *
 * @example
 * planProblem(plan, catalog) // undefined
 */
export function planProblem(plan: Plan, catalog: Catalog): string | undefined {
  const tools = new Set(catalog.tools.map((t) => t.name));
  const ids = new Map<string, string[]>();
  for (const n of plan.nodes) {
    if (!tools.has(n.worker)) return `node ${n.id}: unknown worker "${n.worker}"`;
    if (ids.has(n.id)) return `node ${n.id}: duplicate id`;
    ids.set(n.id, n.dependsOn);
  }
  for (const n of plan.nodes) for (const d of n.dependsOn) if (!ids.has(d)) return `node ${n.id}: depends on unknown node "${d}"`;
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): boolean => {
    const s = state.get(id);
    if (s === 2) return false;
    if (s === 1) return true;
    state.set(id, 1);
    for (const d of ids.get(id)!) if (visit(d)) return true;
    state.set(id, 2);
    return false;
  };
  for (const id of ids.keys()) if (visit(id)) return `cycle through node ${id}`;
  return undefined;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Plans every example's request with a model or any plan function, then scores the paper's metrics,
 * audits validity and times each plan; with `failures`, also lists the plans that are not their
 * gold graphs.
 *
 * @example
 * const ev = evaluate(model, testExamples, catalog); console.log(ev.nodeF1, ev.latencyMs.p50)
 */
export function evaluate(planner: PlannerModel | PlanFn, examples: readonly Example[], catalog: Catalog, options: EvaluateOptions = {}): Evaluation {
  const planFn: PlanFn = typeof planner === 'function' ? planner : (s) => planner.plan(s);
  const times: number[] = [];
  const plans = examples.map((e) => {
    const t0 = performance.now();
    const p = planFn(e.request);
    times.push(performance.now() - t0);
    return p;
  });
  const invalidPlans = plans.filter((p) => planProblem(p, catalog) !== undefined).length;
  const sorted = [...times].sort((a, b) => a - b);
  // Both the metrics and the failure list read the graphs in list form: converted once.
  const preds = plans.map(planToLists), golds = examples.map(exampleToLists);
  return {
    ...scoreGraphs(preds, golds, catalog),
    invalidPlans,
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length) },
    ...(options.failures !== undefined ? { failures: failuresOf(plans, preds, examples, golds, options.failures) } : {}),
  };
}
