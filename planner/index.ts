/**
 * `orchestai/planner`: plain-language instruction -> DAG of catalog workers (`plan`), DAG ->
 * workflow (`compilePlan`) -> statechart. A catalog is the workers' names and descriptions and the
 * hand-offs allowed between them: `catalogFromWorkers` builds one from your own workers,
 * `loadCatalog` reads one from a file and `parseCatalog` from a value (ours, or the tool list an MCP
 * server, OpenAI or Anthropic takes). A catalog no trained model knows is planned by the shipped
 * general model, which `adaptWithExamples` adapts to it from your labelled requests (or
 * `examplesFromHistory`'s successful runs) and `saveGeneralModel` saves for `plan`'s `modelDir`.
 */
export type { Catalog, CatalogTool, Example, Plan, PlanNode } from './types.ts';
export { plan, planWithDetails, PlanRefusedError, type PlanOptions, type PlanResult, type PlannerInfo } from './plan.ts';
export { planNotes, type PassedOver, type PlanNotes } from './notes.ts';
export { compilePlan, planRunInput, PlanError, type PlannedRunInput } from './compile-plan.ts';
export { loadCatalog, parseCatalog, catalogFromWorkers, CatalogError } from './catalog.ts';
export type { FallbackOutcome, LlmConfig } from './fallback/index.ts';
export { createOpenWorldCheck, DEFAULT_OPEN_WORLD, type OpenWorldCheck, type OpenWorldOptions, type ClauseCheck } from './open-world.ts';
export { lowerForUnmatched } from './open-world-confidence.ts';
export { negatedTools, negatedPhrases, dropDeclinedSteps, type PhraseNamer } from './negation.ts';
export { finishPlan } from './finish.ts';
export { withoutUnfedSteps } from './unfed.ts';
export { unquotePassedOn } from './slots.ts';
export { requestAsMeant, withRetractionsApplied } from './corrections.ts';
export { loadGeneralModel, saveGeneralModel, adaptWithExamples, adaptWithExamplesReported, synthesizeExamples, type GeneralModel, type LeaveOneOut, type SynthesisOptions } from './general/index.ts';
export { examplesFromHistory, scanHistory, type HistoryExample, type HistoryScan, type SkippedRun } from './history.ts';
