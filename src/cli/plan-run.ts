import { planRunInput, planWithDetails, type Plan } from '../../planner/index.ts';
import { projectLlm } from '../project/llm.ts';
import { defaultCatalog } from '../../planner/default-model.ts';
import { workflowFromRecordedPlan } from '../../planner/compile-plan.ts';
import { defaultWorkers } from '../../workflows/catalog.ts';
import type { McpConnection } from '../../workflows/mcp/index.ts';
import type { ResolvedWorkflow } from '../project/resolve.ts';
import { CliError } from './command.ts';

/** The MCP client (and its SDK) loads only when --mcp or --mcp-url is given. */
const loadMcp = () => import('../../workflows/mcp/index.ts');

/** `--mcp "<command>"` / `--mcp-url <url>` as the commands receive them. */
export interface McpCliOptions {
  mcp?: string;
  mcpUrl?: string;
  /** A stdio server starts here, so relative paths in an instruction mean the same to it. */
  cwd: string;
}

/**
 * Connects to the MCP server `--mcp` (a command line, run without a shell) or `--mcp-url` names;
 * undefined when neither is given. Both at once, an unparsable command or a server that does not
 * start is a one-line CliError.
 *
 * @example
 * const mcp = await mcpFromCli({ mcp: 'node server.mjs', cwd: process.cwd() });
 * try { ... mcp.catalog ... } finally { await mcp?.close(); }
 */
export async function mcpFromCli(opts: McpCliOptions): Promise<McpConnection | undefined> {
  if (opts.mcp !== undefined && opts.mcpUrl !== undefined) throw new CliError('give one MCP server: --mcp "<command>" or --mcp-url <url>, not both');
  if (opts.mcp === undefined && opts.mcpUrl === undefined) return undefined;
  const { mcpWorkers, parseMcpCommand } = await loadMcp();
  try {
    return await mcpWorkers(opts.mcp !== undefined ? { ...parseMcpCommand(opts.mcp), cwd: opts.cwd } : { url: opts.mcpUrl! });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/**
 * instruction -> plan (default model) -> workflow over the built-in workers, for `orchestai run
 * "<instruction>"`. The plan's DAG is recorded in the run's source and input, so replay and
 * resume rebuild exactly this workflow. A low-confidence plan asks first on a TTY.
 *
 * With `mcp`/`mcpUrl`, the plan is made zero-shot over that server's tools and runs with its
 * workers; the result's `close` ends the connection, and the caller calls it once the run is over
 * (planForRun closes it itself when planning fails).
 *
 * @example
 * const { workflow, defaultInput } = await planForRun('Summarise fixtures/papers/street-trees.md', { io });
 */
export async function planForRun(
  instruction: string,
  opts: { model?: string; catalog?: string; yes?: boolean; mcp?: string; mcpUrl?: string; io: { cwd?: string; env?: Record<string, string | undefined>; isTTY: boolean; err(s: string): void; confirm(q: string): Promise<boolean> } },
): Promise<ResolvedWorkflow & { instruction: string; plan: Plan; close?: () => Promise<void> }> {
  if ((opts.mcp ?? opts.mcpUrl) !== undefined && opts.catalog !== undefined) throw new CliError('--catalog and --mcp both name the tools to plan over; give one of them');
  const mcp = await mcpFromCli({ mcp: opts.mcp, mcpUrl: opts.mcpUrl, cwd: opts.io.cwd ?? process.cwd() });
  try {
    return { ...(await planWith(instruction, opts, mcp)), ...(mcp ? { close: mcp.close } : {}) };
  } catch (e) {
    await mcp?.close();
    throw e;
  }
}

async function planWith(
  instruction: string,
  opts: { model?: string; catalog?: string; yes?: boolean; io: { cwd?: string; env?: Record<string, string | undefined>; isTTY: boolean; err(s: string): void; confirm(q: string): Promise<boolean> } },
  mcp: McpConnection | undefined,
): Promise<ResolvedWorkflow & { instruction: string; plan: Plan }> {
  // An MCP server's tools are a catalog the model never saw: only the zero-shot mode plans over it.
  const planned = mcp ? { catalog: mcp.catalog, zeroShot: true } : { catalog: opts.catalog };
  const { plan, outcome } = await planWithDetails(instruction, { modelDir: opts.model, ...planned, llm: await projectLlm(opts.io.cwd ?? process.cwd(), opts.io.env ?? process.env) });
  const { io } = opts;
  io.err(`plan (${plan.source}, confidence ${plan.confidence.toFixed(2)}${plan.lowConfidence ? ', LOW' : ''}):`);
  for (const n of plan.nodes) io.err(`  ${n.id}  ${n.worker}${n.dependsOn.length ? `  <- ${n.dependsOn.join(', ')}` : ''}  (${n.confidence.toFixed(2)})`);
  if (outcome.status !== 'not-needed' && outcome.status !== 'not-configured') io.err(`  LLM fallback: ${outcome.status}`);
  // Unattended, a plan the planner doubts is not run unless the caller said so: a script cannot be asked.
  if (plan.lowConfidence && !opts.yes) {
    if (!io.isTTY) throw new CliError('not run: low-confidence plan and no TTY to confirm it; check it with `orchestai plan`, or pass --yes', 3);
    if (!(await io.confirm('The planner is not confident in this plan. Run it anyway?'))) throw new CliError('not run: the plan was not confirmed', 3);
  }
  if (mcp) {
    const input = planRunInput(plan, { catalog: mcp.catalog });
    const workflow = workflowFromRecordedPlan(input.plan, mcp.workers);
    return { workflow, source: `plan:${JSON.stringify(input.plan)}`, from: `planned over the MCP tools of ${mcp.server?.name ?? 'the server'}`, defaultInput: input, instruction, plan };
  }
  const input = planRunInput(plan);
  const workflow = workflowFromRecordedPlan(input.plan, defaultWorkers, { catalog: defaultCatalog() });
  return { workflow, source: `plan:${JSON.stringify(input.plan)}`, from: 'planned from an instruction', defaultInput: input, instruction, plan };
}
