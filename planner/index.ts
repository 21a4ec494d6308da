/**
 * `orchestai/planner`: plain-language instruction -> DAG of catalog workers (`plan`), DAG ->
 * workflow (`compilePlan`) -> statechart. A catalog is the workers' names and descriptions and the
 * hand-offs allowed between them: `catalogFromWorkers` builds one from your own workers,
 * `loadCatalog` reads one from a file.
 */
export type { Catalog, CatalogTool, Plan, PlanNode } from './types.ts';
export { plan, planWithDetails, PlanRefusedError, type PlanOptions, type PlanResult, type PlannerInfo } from './plan.ts';
export { planNotes, type PlanNotes } from './notes.ts';
export { compilePlan, planRunInput, PlanError, type PlannedRunInput } from './compile-plan.ts';
export { loadCatalog, catalogFromWorkers, CatalogError } from './catalog.ts';
export type { FallbackOutcome, LlmConfig } from './fallback/index.ts';
export { createOpenWorldCheck, DEFAULT_OPEN_WORLD, type OpenWorldCheck, type OpenWorldOptions, type ClauseCheck } from './open-world.ts';
export { lowerForUnmatched } from './open-world-confidence.ts';
export { negatedTools, negatedPhrases, dropDeclinedSteps, type PhraseNamer } from './negation.ts';
export { finishPlan } from './finish.ts';
export { withoutUnfedSteps } from './unfed.ts';
export { unquotePassedOn } from './slots.ts';
export { requestAsMeant, withRetractionsApplied } from './corrections.ts';
