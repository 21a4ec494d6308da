import { planRunInput, planWithDetails, type Plan } from '../../planner/index.ts';
import { defaultCatalog } from '../../planner/default-model.ts';
import { workflowFromRecordedPlan } from '../../planner/compile-plan.ts';
import { defaultWorkers } from '../../workflows/catalog.ts';
import type { ResolvedWorkflow } from '../project/resolve.ts';
import { CliError } from './command.ts';

/**
 * instruction -> plan (default model) -> workflow over the built-in workers, for `orchestai run
 * "<instruction>"`. The plan's DAG is recorded in the run's source and input, so replay and
 * resume rebuild exactly this workflow. A low-confidence plan asks first on a TTY.
 *
 * @example
 * const { workflow, defaultInput } = await planForRun('Summarise fixtures/papers/street-trees.md', { io });
 */
export async function planForRun(
  instruction: string,
  opts: { model?: string; catalog?: string; yes?: boolean; io: { isTTY: boolean; err(s: string): void; confirm(q: string): Promise<boolean> } },
): Promise<ResolvedWorkflow & { instruction: string; plan: Plan }> {
  const { plan, outcome } = await planWithDetails(instruction, { modelDir: opts.model, catalog: opts.catalog });
  const { io } = opts;
  io.err(`plan (${plan.source}, confidence ${plan.confidence.toFixed(2)}${plan.lowConfidence ? ', LOW' : ''}):`);
  for (const n of plan.nodes) io.err(`  ${n.id}  ${n.worker}${n.dependsOn.length ? `  <- ${n.dependsOn.join(', ')}` : ''}  (${n.confidence.toFixed(2)})`);
  if (outcome.status !== 'not-needed' && outcome.status !== 'not-configured') io.err(`  LLM fallback: ${outcome.status}`);
  // Unattended, a plan the planner doubts is not run unless the caller said so: a script cannot be asked.
  if (plan.lowConfidence && !opts.yes) {
    if (!io.isTTY) throw new CliError('not run: low-confidence plan and no TTY to confirm it; check it with `orchestai plan`, or pass --yes', 3);
    if (!(await io.confirm('The planner is not confident in this plan. Run it anyway?'))) throw new CliError('not run: the plan was not confirmed', 3);
  }
  const input = planRunInput(plan);
  const workflow = workflowFromRecordedPlan(input.plan, defaultWorkers, { catalog: defaultCatalog() });
  return { workflow, source: `plan:${JSON.stringify(input.plan)}`, from: 'planned from an instruction', defaultInput: input, instruction, plan };
}
