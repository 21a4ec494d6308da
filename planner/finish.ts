import { dropDeclinedSteps, type PhraseNamer } from './negation.ts';
import { reachedSteps, withoutUnfedSteps } from './unfed.ts';
import type { Catalog, Plan } from './types.ts';
import type { PlanNotes } from './notes.ts';

/** A finished plan, what was left out of it and, when it cannot start, its first workers (see `PlanNotes`; empty lists here). */
export interface FinishedPlan<P extends Plan> extends Required<Pick<PlanNotes, 'declined' | 'idle' | 'unreachable' | 'cannotStart'>> {
  plan: P;
}

/**
 * A planner's plan as `plan` returns it, whichever planner made it: without the steps the request
 * declines (`dropDeclinedSteps`), then without the steps no input can reach (`withoutUnfedSteps`),
 * with the workers of each kind that were left out, so that nothing is dropped without a word, and
 * the first workers of a plan no input reaches at all. `inputGiven`: the run's input comes from
 * elsewhere than the instruction, so steps are not judged by what it carries. `namer`: how the
 * planner reads a declined phrase no tool word names ("skip the word count"; see `negatedTools`).
 * `plan`, `eval` and the benches all finish plans here, so what is scored is what would run.
 *
 * @example
 * finishPlan(plan, 'keywords of notes.md - no report needed', catalog).declined // ['compose-report']
 */
export function finishPlan<P extends Plan>(plan: P, instruction: string, catalog: Catalog, options: { inputGiven?: boolean; namer?: PhraseNamer } = {}): FinishedPlan<P> {
  const { plan: wanted, declined, idle } = dropDeclinedSteps(plan, instruction, catalog, options.namer);
  // A run input given apart from the instruction (`run --input`) may feed any step: nothing is judged by what the instruction carries.
  if (options.inputGiven) return { plan: wanted, declined, idle, unreachable: [], cannotStart: [] };
  const reached = reachedSteps(wanted, instruction, catalog);
  const runnable = withoutUnfedSteps(wanted, instruction, catalog, reached);
  const kept = new Set(runnable.nodes.map((n) => n.worker));
  const unreachable = runnable === wanted ? [] : wanted.nodes.map((n) => n.worker).filter((w) => !kept.has(w));
  const cannotStart = reached?.size === 0 ? wanted.nodes.filter((n) => n.dependsOn.length === 0).map((n) => n.worker) : [];
  // A plan that cannot start cannot run as planned, however sure the planner is of its steps.
  return { plan: cannotStart.length > 0 ? { ...runnable, confidence: 0, lowConfidence: true } : runnable, declined, idle, unreachable, cannotStart };
}
