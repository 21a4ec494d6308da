import { planNotes } from '../../planner/notes.ts';
import { compileWorkflow } from '../../machines/index.ts';
import { renderDagSvg } from '../viz/dag.ts';
import { renderWorkflowSvg } from '../viz/svg.ts';
import { workersForCatalog } from '../planning/workers.ts';

/**
 * The planner panel: an instruction -> the planner's plan drawn as a DAG, next to the
 * statechart it compiles to, planned exactly as `orchestai plan` does (same model, same
 * catalog, same workers). The planner module is passed in, so a test can stand in for the
 * trained model.
 */

export interface PlanView {
  instruction: string;
  plan: unknown;
  /** What the low-confidence fallback did (`not-needed`, `not-configured`, ...). */
  fallback?: unknown;
  /** Clauses of the instruction no worker does (the plan leaves them undone). */
  unmatched?: string[];
  /** Workers the planner chose and the instruction declines ("no report"), left out of the plan. */
  declined?: string[];
  /** Workers the planner chose only to feed a declined one, left out of the plan with it. */
  idle?: string[];
  /** Workers the planner chose that nothing the instruction gives can feed, left out of the plan. */
  unreachable?: string[];
  /** The first workers of a plan none of which gets its input from the instruction. */
  cannotStart?: string[];
  /** Clauses that name one worker the plan leaves out. */
  passedOver?: { clause: string; worker: string }[];
  dagSvg: string;
  chartSvg: string;
}

/**
 * Plans an instruction with the planner module and draws the plan and its statechart.
 *
 * @example
 * const view = await planView(await loadPlanner(), 'Summarise docs/q3.md');
 * view.dagSvg; // '<svg ...'
 */
export async function planView(planner: Record<string, any>, instruction: string, env: Record<string, string | undefined> = process.env): Promise<PlanView> {
  const result = await planner.planWithDetails(instruction, { env });
  const plan = result.plan;
  const dagSvg = await renderDagSvg(
    plan.nodes.map((n: any) => ({ id: String(n.id), label: String(n.worker), dependsOn: n.dependsOn ?? [], confidence: n.confidence })),
    { title: `plan for: ${instruction}` },
  );
  const workflow = planner.compilePlan(plan, await workersForCatalog(result.catalog), { catalog: result.catalog });
  const chartSvg = await renderWorkflowSvg(compileWorkflow(workflow).config, { idPrefix: 'plan', title: `statechart of the plan for: ${instruction}` });
  return { instruction, plan, fallback: result.outcome, ...planNotes(result), dagSvg, chartSvg };
}
