/**
 * Shared planner types. The catalog is what a planner may use; an example is one instruction with
 * its gold DAG; a plan is what a planner returns. Other modules (catalog builders, the LLM fallback,
 * plan compilation) depend on these shapes, so they only ever grow compatibly.
 */

/** One worker a planner may put in a plan. `name` is its unique id in the catalog. */
export interface CatalogTool { name: string; description: string; inputType?: string[]; outputType?: string[] }

/** The workers plus the allowed hand-offs between them (the tool graph). */
export interface Catalog { tools: CatalogTool[]; links: { source: string; target: string }[] }

/**
 * One gold sub-task of a training example, in words, with the worker that does it (UltraTool's
 * `task_steps`, the worker's name cut out). Training supervision only: a planner never sees it.
 */
export interface StepText { worker: string; text: string }

/** A training or test example: an instruction and its gold DAG (nodes in execution order, links = dependencies). */
/**
 * A labelled request. `synthetic`: made from the catalog alone (`synthesizeExamples`), its clauses
 * in the plan's order by construction, so its wording says nothing of how people order steps.
 */
export interface Example { id: string; request: string; nodes: string[]; links: { source: string; target: string }[]; steps?: StepText[]; synthetic?: boolean }

/** One step of a plan. `dependsOn` names ids of earlier nodes of the same plan. */
export interface PlanNode { id: string; worker: string; dependsOn: string[]; confidence: number }

/** A DAG of catalog workers for one instruction. */
export interface Plan { instruction: string; nodes: PlanNode[]; confidence: number; lowConfidence: boolean; source: 'model' | 'knn' | 'llm' }

/** Anything that turns an instruction into a plan (the model, the kNN baseline, a fallback chain). */
export type PlanFn = (instruction: string) => Plan;
