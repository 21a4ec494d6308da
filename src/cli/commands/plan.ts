import { compileWorkflow, toMermaid } from '../../../machines/index.ts';
import { compilePlan, planNotes, planRunInput, planWithDetails, type Plan, type PlannerInfo, type PlanResult } from '../../../planner/index.ts';
import { projectLlm } from '../../project/llm.ts';
import { workersForCatalog } from '../../planning/workers.ts';
import { projectPlanning } from '../../project/workers.ts';
import { CliError, defineCommand, type CliIO } from '../command.ts';
import { mcpFromCli, noteLines, planOrigin } from '../plan-run.ts';

/** Resolves a plan the way `plan` and `run "<instruction>"` both do, mapping library errors to one-line CLI errors.
 *
 * @example
 * const { plan } = await planFromCli('Summarise docs/a.md', { model: 'models/mine' }, io);
 */
export async function planFromCli(instruction: string | undefined, values: Record<string, any>, io: CliIO): Promise<PlanResult> {
  if (instruction === undefined) throw new CliError('plan needs an instruction, e.g. orchestai plan "Summarise docs/report.md"');
  // --mcp: the server's tools are the catalog, planned zero-shot; a plan needs no connection afterwards.
  if ((values.mcp ?? values['mcp-url']) !== undefined && values.catalog !== undefined) throw new CliError('--catalog and --mcp both name the tools to plan over; give one of them');
  const mcp = await mcpFromCli({ mcp: values.mcp, mcpUrl: values['mcp-url'], cwd: io.cwd });
  try {
    // With neither --mcp nor --catalog, a project that lists its own workers plans over them.
    const project = mcp || values.catalog !== undefined ? undefined : await projectPlanning(io.cwd ?? process.cwd());
    const catalog = mcp ? mcp.catalog : project ? project.catalog : values.catalog;
    const modelDir = values.model ?? project?.modelDir;
    return await planWithDetails(instruction, { catalog, modelDir, zeroShot: Boolean(mcp || values['zero-shot']), zeroShotMethod: values['zero-shot-method'], env: io.env, llm: await projectLlm(io.cwd, io.env) });
  } catch (e) {
    if (e instanceof CliError) throw e;
    const message = (e as Error).message;
    // A model from another catalog can still plan over this one, from the tool descriptions.
    throw new CliError(/trained for another catalog/.test(message) && !values['zero-shot'] ? `${message}; pass --zero-shot to plan over this catalog from its tool descriptions` : message);
  } finally {
    await mcp?.close();
  }
}

/** Why a plan is flagged, as the header shows it: its confidence under the threshold, or a part of the instruction no worker does. */
function flagReason(plan: Plan, threshold: number | undefined, unmatched: readonly string[]): string {
  if (threshold !== undefined && plan.confidence < threshold) return ` (below the calibrated ${threshold.toFixed(4)})`;
  if (unmatched.length > 0) return ' (part of the instruction has no worker)';
  return '';
}

/**
 * The DAG as text: one node per line with its confidence and dependencies; a flagged plan's header
 * says why it is flagged (a confident plan that leaves a clause undone is not "below" anything).
 *
 * @example
 * formatPlan(plan, 0.9, [], { kind: 'ensemble', tools: 17, members: 5 }) // 'plan (ensemble of 5 trained models, confidence 0.912)\n  n1   read-file     0.990\n  n2   extract-text  0.980  <- n1'
 */
export function formatPlan(plan: Plan, threshold?: number, unmatched: readonly string[] = [], planner?: PlannerInfo): string[] {
  const width = Math.max(...plan.nodes.map((n) => n.worker.length));
  const flag = plan.lowConfidence ? `  LOW CONFIDENCE${flagReason(plan, threshold, unmatched)}: check it before running` : '';
  const lines = [`plan (${planOrigin(plan, planner)}, confidence ${plan.confidence.toFixed(3)})${flag}`];
  for (const n of plan.nodes) {
    lines.push(`  ${n.id.padEnd(4)} ${n.worker.padEnd(width)}  ${n.confidence.toFixed(3)}${n.dependsOn.length ? `  <- ${n.dependsOn.join(', ')}` : ''}`);
  }
  return lines;
}

function outcomeLine(r: PlanResult): string | undefined {
  const o = r.outcome;
  if (o.status === 'rejected') return `LLM fallback rejected: ${o.problems.join('; ')}`;
  if (o.status === 'failed') return `LLM fallback failed: ${o.error}`;
  if (o.status === 'used') return 'plan from the LLM fallback (the model was not confident)';
  return undefined;
}

export default defineCommand({
  args: [{ name: 'instruction', help: 'what to do, in quotes, e.g. "Summarise docs/report.md"' }],
  options: {
    catalog: { help: 'the worker catalog to plan over: our JSON, a GNN4TaskPlan tool_desc.json, or an MCP, OpenAI or Anthropic tool list', value: 'file', defaultText: 'the workers of orchestai.config.ts, else the built-in ones' },
    model: { help: 'a planner model or ensemble directory from `orchestai train`', value: 'dir', defaultText: 'the packaged model' },
    'zero-shot': { help: 'plan over a catalog the model was not trained on, from the worker descriptions' },
    'zero-shot-method': { help: 'how a catalog no model knows is planned: the shipped general model, clause matching, or the trained model adapted', choices: ['general', 'match', 'adapt'], defaultText: 'general' },
    mcp: { help: 'plan over the tools of this MCP server (stdio; zero-shot), e.g. "node server.mjs"', value: 'command' },
    'mcp-url': { help: 'plan over the tools of the MCP server at this streamable HTTP URL (zero-shot)', value: 'url' },
    export: { help: 'print the statechart of the plan: the DAG, run input and machine config (json), or a Mermaid diagram', choices: ['json', 'mermaid'] },
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 1) throw new CliError(`plan takes one instruction; quote it (got ${positionals.length} words)`);
    const result = await planFromCli(positionals[0], values, io);
    const note = outcomeLine(result);
    if (note) io.err(note);
    const { plan } = result;
    if (values.export) {
      const workflow = compilePlan(plan, await workersForCatalog(result.catalog), { catalog: result.catalog });
      const compiled = compileWorkflow(workflow);
      if (values.export === 'mermaid') io.out(toMermaid(compiled));
      else io.out(JSON.stringify({ plan, input: planRunInput(plan, { readFiles: false, catalog: result.catalog }), workflowId: workflow.id, config: compiled.config }, null, 2));
      return 0;
    }
    if (values.json) io.out(JSON.stringify({ plan, planner: result.planner, fallback: result.outcome, ...planNotes(result) }, null, 2));
    else for (const line of [...formatPlan(plan, result.model.threshold, result.unmatched ?? [], result.planner), ...noteLines(result, result.catalog)]) io.out(line);
    return 0;
  },
});
