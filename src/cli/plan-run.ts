import { planRunInput, planWithDetails, type Catalog, type PassedOver, type Plan, type PlannerInfo, type PlanNotes } from '../../planner/index.ts';
import { projectLlm } from '../project/llm.ts';
import { defaultCatalog } from '../../planner/default-model.ts';
import { workflowFromRecordedPlan } from '../../planner/compile-plan.ts';
import { projectPlanning } from '../project/workers.ts';
import { PROJECT_WORKERS } from '../project/resolve.ts';
import { defaultWorkers } from '../../workflows/catalog.ts';
import type { McpConnection } from '../../workflows/mcp/index.ts';
import type { RecordedMcpServer, ResolvedWorkflow } from '../project/resolve.ts';
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
  return connectMcp(opts);
}

async function connectMcp(opts: McpCliOptions): Promise<McpConnection> {
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
 * `inputGiven` (`run --input`): the run's input is the caller's, so no step is left out or the plan
 * flagged for want of what the instruction carries.
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
  opts: { model?: string; catalog?: string; yes?: boolean; mcp?: string; mcpUrl?: string; inputGiven?: boolean; io: { cwd?: string; env?: Record<string, string | undefined>; isTTY: boolean; err(s: string): void; confirm(q: string): Promise<boolean> } },
): Promise<ResolvedWorkflow & { instruction: string; plan: Plan; close?: () => Promise<void> }> {
  if ((opts.mcp ?? opts.mcpUrl) !== undefined && opts.catalog !== undefined) throw new CliError('--catalog and --mcp both name the tools to plan over; give one of them');
  const mcp = await mcpFromCli({ mcp: opts.mcp, mcpUrl: opts.mcpUrl, cwd: opts.io.cwd ?? process.cwd() });
  try {
    const hint = mcp && { ...recordedServerHint(opts), ...(mcp.server?.name ? { name: mcp.server.name } : {}) };
    return { ...(await planWith(instruction, opts, mcp && { connection: mcp, hint: hint! })), ...(mcp ? { close: mcp.close } : {}) };
  } catch (e) {
    await mcp?.close();
    throw e;
  }
}

async function planWith(
  instruction: string,
  opts: { model?: string; catalog?: string; yes?: boolean; inputGiven?: boolean; io: { cwd?: string; env?: Record<string, string | undefined>; isTTY: boolean; err(s: string): void; confirm(q: string): Promise<boolean> } },
  server: { connection: McpConnection; hint: RecordedMcpServer } | undefined,
): Promise<ResolvedWorkflow & { instruction: string; plan: Plan }> {
  const mcp = server?.connection;
  const cwd = opts.io.cwd ?? process.cwd();
  // Without --mcp, a project that lists its own workers runs them; without --catalog either, it plans over them too.
  const project = mcp ? undefined : await projectPlanning(cwd);
  const overProject = project && opts.catalog === undefined;
  // An MCP server's tools are a catalog the model never saw: only the zero-shot mode plans over it.
  const planned = mcp ? { catalog: mcp.catalog, zeroShot: true } : { catalog: overProject ? project.catalog : opts.catalog };
  const result = await planWithDetails(instruction, { modelDir: opts.model ?? (overProject ? project.modelDir : undefined), ...planned, inputGiven: opts.inputGiven, llm: await projectLlm(cwd, opts.io.env ?? process.env) });
  const { plan, planner, outcome, catalog, unmatched = [], cannotStart = [], passedOver = [] } = result;
  const { io } = opts;
  io.err(`plan (${planOrigin(plan, planner)}, confidence ${plan.confidence.toFixed(2)}${plan.lowConfidence ? ', LOW' : ''}):`);
  for (const n of plan.nodes) io.err(`  ${n.id}  ${n.worker}${n.dependsOn.length ? `  <- ${n.dependsOn.join(', ')}` : ''}  (${n.confidence.toFixed(2)})`);
  for (const line of noteLines(result, catalog)) io.err(`  ${line}`);
  if (outcome.status !== 'not-needed' && outcome.status !== 'not-configured') io.err(`  LLM fallback: ${outcome.status}`);
  // A plan over --catalog runs on the project's workers when they are all among them (a catalog file
  // that describes them in the user's own words, say); otherwise on the built-in workers, or not at all.
  const runner = project && (overProject || plan.nodes.every((n) => project.workers.some((w) => w.name === n.worker))) ? project : undefined;
  if (!mcp && !runner) refuseForeignWorkers(plan);
  // Unattended, a plan the planner doubts, or one that leaves part of the instruction undone (even
  // an LLM plan: the catalog still has no worker for it), is not run unless the caller said so.
  if ((plan.lowConfidence || unmatched.length > 0) && !opts.yes) {
    const why = unmatched.length > 0
      ? `the plan leaves undone ${unmatched.map((u) => JSON.stringify(u)).join(', ')} ${UNMATCHED_NOTE}`
      : cannotStart.length > 0 ? `no step of the plan can start from the instruction (${cannotStart.map((w) => `${w} needs ${needsOf(w, catalog)}`).join('; ')})`
      : passedOver.length > 0 ? `the plan leaves out ${passedOver.map((p) => `${p.worker}, which ${JSON.stringify(p.clause)} names`).join('; ')}` : 'low-confidence plan';
    if (!io.isTTY) throw new CliError(`not run: ${why} and no TTY to confirm it; check it with \`orchestai plan\`, or pass --yes`, 3);
    const question = unmatched.length > 0 ? 'No worker does every part of this instruction. Run the rest anyway?' : 'The planner is not confident in this plan. Run it anyway?';
    if (!(await io.confirm(question))) throw new CliError('not run: the plan was not confirmed', 3);
  }
  if (mcp) {
    const input = planRunInput(plan, { catalog: mcp.catalog });
    const workflow = workflowFromRecordedPlan(input.plan, mcp.workers);
    // The source names the server as a hint for replay and resume (src/project/resolve.ts); they never start it.
    return { workflow, source: `plan:${JSON.stringify({ ...input.plan, mcp: server!.hint })}`, from: `planned over the MCP tools of ${mcp.server?.name ?? 'the server'}`, defaultInput: input, instruction, plan };
  }
  if (runner) {
    const input = planRunInput(plan, { catalog });
    const workflow = workflowFromRecordedPlan(input.plan, runner.workers);
    // The source says the plan ran over the project's workers, which replay and resume load from its config again.
    return { workflow, source: `plan:${JSON.stringify({ ...input.plan, workers: PROJECT_WORKERS })}`, from: `planned over the workers of ${runner.file}`, defaultInput: input, instruction, plan };
  }
  const input = planRunInput(plan);
  const workflow = workflowFromRecordedPlan(input.plan, defaultWorkers, { catalog: defaultCatalog() });
  return { workflow, source: `plan:${JSON.stringify(input.plan)}`, from: 'planned from an instruction', defaultInput: input, instruction, plan };
}

/**
 * The CLI has workers for the built-in catalog, an MCP server's tools and the workers a project's
 * config lists. A plan over a catalog of other workers (`--catalog`, or a model saved with one) is
 * theirs to run from code; said before asking to confirm a plan that could not start.
 */
function refuseForeignWorkers(plan: Plan): void {
  const builtin = new Set(defaultWorkers.map((w) => w.name));
  const foreign = [...new Set(plan.nodes.map((n) => n.worker).filter((w) => !builtin.has(w)))];
  if (foreign.length === 0) return;
  throw new CliError(`not run: the CLI runs the built-in workers, MCP tools (--mcp) and the workers orchestai.config.ts lists, and ${foreign.map((w) => JSON.stringify(w)).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} none of these; list your workers in the config's workers, run them from code (compilePlan(plan, workers) with run), or serve them over MCP`);
}

/**
 * What made a plan, as its header names it: a model trained for this catalog, or a planner of a
 * catalog no model was trained on (whose confidence is lower, and flags more right plans).
 *
 * @example
 * plannerLabel({ kind: 'general-model', tools: 4 }) // 'general model, zero-shot over 4 tools'
 */
export function plannerLabel(p: PlannerInfo): string {
  const tools = counted(p.tools, 'tool');
  switch (p.kind) {
    case 'model': return 'trained model';
    case 'ensemble': return `ensemble of ${p.members} trained models`;
    case 'adapted-model': return `${p.members ? `ensemble of ${p.members} trained models` : 'trained model'} adapted zero-shot to ${tools}`;
    case 'clause-matcher': return `clause matcher, zero-shot over ${tools}`;
    case 'general-model': return p.remembered ? `general model remembering ${counted(p.remembered, 'request')}, over ${tools}` : `general model, zero-shot over ${tools}`;
  }
}

/** "1 tool", "4 tools". */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The planner that made `plan`, or the plan's source when that was not a model (the LLM fallback). */
export function planOrigin(plan: Plan, planner?: PlannerInfo): string {
  return plan.source === 'model' && planner ? plannerLabel(planner) : plan.source;
}

/** What an unmatched clause is: the open-world check compares words, so it says what it checked. */
const UNMATCHED_NOTE = "(matches no worker's description)";

/**
 * One line per clause of the instruction no worker of the catalog does, for `plan` and `run`.
 *
 * @example
 * unmatchedLines(['email it to my boss']) // ['unmatched: "email it to my boss" (matches no worker\'s description)']
 */
function unmatchedLines(unmatched: readonly string[]): string[] {
  return unmatched.map((u) => `unmatched: ${JSON.stringify(u)} ${UNMATCHED_NOTE}`);
}

/**
 * One line per worker the planner chose and the instruction declines, dropped from the plan, for `plan` and `run`.
 *
 * @example
 * declinedLines(['compose-report']) // ['declined: compose-report (the instruction says not to; left out)']
 */
function declinedLines(declined: readonly string[]): string[] {
  return declined.map((w) => `declined: ${w} (the instruction says not to; left out)`);
}

/**
 * One line per worker the planner chose only to feed a declined one, dropped with it, for `plan` and `run`.
 *
 * @example
 * idleLines(['read-file']) // ['left out: read-file (it only fed a declined worker)']
 */
function idleLines(idle: readonly string[]): string[] {
  return idle.map((w) => `left out: ${w} (it only fed a declined worker)`);
}

/**
 * One line per worker the planner chose that nothing the instruction gives can feed, dropped from the plan, for `plan` and `run`.
 *
 * @example
 * unreachableLines(['read-file']) // ['unreachable: read-file (nothing the instruction gives can feed it; left out)']
 */
function unreachableLines(unreachable: readonly string[]): string[] {
  return unreachable.map((w) => `unreachable: ${w} (nothing the instruction gives can feed it; left out)`);
}

/**
 * One line per clause that names a worker the plan leaves out, for `plan` and `run`.
 *
 * @example
 * passedOverLines([{ clause: 'email me the ticket', worker: 'send_email' }]) // ['passed over: "email me the ticket" names send_email, which the plan leaves out']
 */
function passedOverLines(passedOver: readonly PassedOver[]): string[] {
  return passedOver.map((p) => `passed over: ${JSON.stringify(p.clause)} names ${p.worker}, which the plan leaves out`);
}

/**
 * Every note of a plan result as `plan` and `run` print them: clauses undone or passed over,
 * workers declined or unreachable, a plan that cannot start.
 *
 * @example
 * noteLines({ declined: ['compose-report'] }, catalog) // ['declined: compose-report (the instruction says not to; left out)']
 */
export function noteLines(notes: PlanNotes, catalog: Catalog): string[] {
  const { unmatched = [], declined = [], idle = [], unreachable = [], cannotStart = [], passedOver = [] } = notes;
  return [...unmatchedLines(unmatched), ...passedOverLines(passedOver), ...declinedLines(declined), ...idleLines(idle), ...unreachableLines(unreachable), ...cannotStartLines(cannotStart, catalog)];
}

/**
 * What a first worker of a plan that cannot start needs, by its catalog's input types.
 *
 * @example
 * needsOf('summarise', defaultCatalog()) // 'text or sections'
 */
function needsOf(worker: string, catalog: Catalog): string {
  return (catalog.tools.find((t) => t.name === worker)?.inputType ?? []).join(' or ') || 'an input';
}

/**
 * One line per first worker of a plan none of whose first workers gets its input from the instruction, for `plan` and `run`.
 *
 * @example
 * cannotStartLines(['summarise'], defaultCatalog()) // ['cannot start: summarise needs text or sections, which nothing the instruction gives provides']
 */
function cannotStartLines(cannotStart: readonly string[], catalog: Catalog): string[] {
  return cannotStart.map((w) => `cannot start: ${w} needs ${needsOf(w, catalog)}, which nothing the instruction gives provides`);
}

/**
 * What a planned run records of its MCP server: the `--mcp` command line (with the values of
 * secret-looking flags masked), or the `--mcp-url` origin and path (no credentials, query or
 * fragment). A hint for the user, shown by `resume`; nothing ever runs or calls it from a history.
 *
 * @example
 * recordedServerHint({ mcpUrl: 'https://u:p@tools.example/mcp?key=1' }) // { url: 'https://tools.example/mcp' }
 * recordedServerHint({ mcp: 'node s.mjs --api-key abc' }) // { command: 'node s.mjs --api-key ***' }
 */
export function recordedServerHint(opts: { mcp?: string; mcpUrl?: string }): RecordedMcpServer {
  if (opts.mcp !== undefined) return { command: maskSecretFlags(opts.mcp) };
  if (opts.mcpUrl === undefined) return {};
  try {
    const u = new URL(opts.mcpUrl);
    return { url: `${u.origin}${u.pathname}` };
  } catch {
    return {};
  }
}

/** Flags whose value is a credential: `--token x`, `--api-key=x`, `-password x`. */
const SECRET_FLAG = /^-{1,2}[\w.-]*(?:key|token|secret|passw(?:or)?d|auth|credential)[\w.-]*$/i;

/** A command line with the values of secret-looking flags replaced by `***`, so a history never holds them. */
function maskSecretFlags(line: string): string {
  const words = line.trim().split(/\s+/);
  const masked = words.map((w, i) => {
    const eq = w.indexOf('=');
    if (eq > 0 && SECRET_FLAG.test(w.slice(0, eq))) return `${w.slice(0, eq)}=***`;
    return i > 0 && SECRET_FLAG.test(words[i - 1]) && !w.startsWith('-') ? '***' : w;
  });
  // Unchanged, keep the line exactly as typed (spacing inside quotes matters to the server).
  return masked.some((w, i) => w !== words[i]) ? masked.join(' ') : line.trim();
}
