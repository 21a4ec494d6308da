/**
 * What the zero-shot benches share: plans as `orchestai plan` makes them, and how often the
 * low-confidence flag lands on wrong and on right plans.
 */
import type { Catalog, Example, Plan } from '../../planner/types.ts';
import { exampleToLists, planToLists, sameGraph } from '../../planner/metrics.ts';
import { finishPlan } from '../../planner/finish.ts';
import { requestAsMeant } from '../../planner/corrections.ts';

/** A zero-shot planner's plans as `plan` makes them: a forwarded request unquoted and second thoughts applied, steps the request declines or no input reaches dropped (planner/finish.ts). */
export function asPlanned(planner: { plan(request: string): Plan }, catalog: Catalog): (request: string) => Plan {
  return (request) => {
    const read = requestAsMeant(request);
    return finishPlan(planner.plan(read), read, catalog).plan;
  };
}

/** How often the plan's low-confidence flag lands on wrong and on right plans (exact DAG), as counts. */
export function flaggedShares(plan: (s: string) => Plan, examples: readonly Example[]): { wrong: string; right: string } {
  let wrong = 0, wrongFlagged = 0, right = 0, rightFlagged = 0;
  for (const e of examples) {
    const p = plan(e.request);
    const flagged = p.lowConfidence || p.nodes.length === 0;
    if (sameGraph(planToLists(p), exampleToLists(e))) { right++; if (flagged) rightFlagged++; } else { wrong++; if (flagged) wrongFlagged++; }
  }
  return { wrong: `${wrongFlagged}/${wrong}`, right: `${rightFlagged}/${right}` };
}
