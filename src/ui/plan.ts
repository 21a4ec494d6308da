import { compileWorkflow, type Workflow } from '../../machines/index.ts';
import { renderDagSvg } from '../viz/dag.ts';

/**
 * The planner panel: an instruction -> the planner's plan drawn as a DAG, next to the
 * statechart it compiles to. The planner module is optional; what it must offer is
 * `plan(instruction)` (a `Plan`: nodes with `id`, `worker`, `dependsOn`) and, for the chart,
 * either `planWorkflow(plan)` or `compilePlan(plan, workers)` with exported `workers`/`defaultWorkers`.
 */

export interface PlanView {
  instruction: string;
  plan: unknown;
  dagSvg: string;
  chartSvg?: string;
  chartError?: string;
}

/**
 * Plans an instruction with the planner module and draws the result.
 *
 * @example
 * const view = await planView(await import('../../planner/index.ts'), 'summarise report.pdf', renderWorkflowSvg);
 */
export async function planView(planner: Record<string, any>, instruction: string, renderChart: (config: unknown) => Promise<string>): Promise<PlanView> {
  const planFn = planner.plan ?? planner.planInstruction;
  if (typeof planFn !== 'function') throw new Error('planner/index.ts exports no plan(instruction) function');
  const plan = await planFn(instruction);
  if (!plan || !Array.isArray(plan.nodes)) throw new Error('the planner returned no plan nodes');
  const dagSvg = await renderDagSvg(
    plan.nodes.map((n: any) => ({ id: String(n.id), label: String(n.worker ?? n.id), dependsOn: n.dependsOn ?? [], confidence: n.confidence })),
    { title: `plan for: ${instruction}` },
  );
  let workflow: Workflow | undefined;
  let chartError: string | undefined;
  try {
    if (typeof planner.planWorkflow === 'function') workflow = await planner.planWorkflow(plan);
    else if (typeof planner.compilePlan === 'function') {
      const workers = planner.workers ?? planner.defaultWorkers;
      if (workers) workflow = planner.compilePlan(plan, workers);
      else chartError = 'planner/index.ts exports compilePlan but no workers to compile against';
    } else chartError = 'planner/index.ts exports neither planWorkflow nor compilePlan';
  } catch (e: any) {
    chartError = String(e?.message ?? e);
  }
  const chartSvg = workflow ? await renderChart(compileWorkflow(workflow).config) : undefined;
  return { instruction, plan, dagSvg, ...(chartSvg ? { chartSvg } : {}), ...(chartError ? { chartError } : {}) };
}
