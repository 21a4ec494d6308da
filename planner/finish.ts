import { dropDeclinedSteps } from './negation.ts';
import { withoutUnfedSteps } from './unfed.ts';
import type { Catalog, Plan } from './types.ts';

/**
 * A planner's plan as `plan` returns it, whichever planner made it: without the steps the request
 * declines (`dropDeclinedSteps`), then without the steps no input can reach (`withoutUnfedSteps`),
 * with the workers of each kind that were left out, so that nothing is dropped without a word.
 * `plan`, `eval` and the benches all finish plans here, so what is scored is what would run.
 *
 * @example
 * finishPlan(plan, 'keywords of notes.md - no report needed', catalog).declined // ['compose-report']
 */
export function finishPlan<P extends Plan>(plan: P, instruction: string, catalog: Catalog): { plan: P; declined: string[]; unreachable: string[] } {
  const { plan: wanted, declined } = dropDeclinedSteps(plan, instruction, catalog);
  const runnable = withoutUnfedSteps(wanted, instruction, catalog);
  const kept = new Set(runnable.nodes.map((n) => n.worker));
  return { plan: runnable, declined, unreachable: runnable === wanted ? [] : wanted.nodes.map((n) => n.worker).filter((w) => !kept.has(w)) };
}
