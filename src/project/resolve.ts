import fs from 'node:fs';
import path from 'node:path';
import type { Workflow } from '../../machines/index.ts';
import type { AnyWorker } from '../../machines/worker.ts';
import { defaultCatalog } from '../../planner/default-model.ts';
import { workflowFromRecordedPlan } from '../../planner/compile-plan.ts';
import { builtinWorkflows, defaultInputs } from '../../workflows/builtins.ts';
import { defaultWorkers } from '../../workflows/catalog.ts';
import { replayOnlyWorkers } from '../../workflows/mcp/replay-only.ts';
import { findConfigFile, loadProjectConfig } from './config.ts';
import { loadWorkflowModule, projectWorkflows } from './workflows.ts';
import { projectPlanning } from './workers.ts';
import { loadWorkflowFile, WORKFLOW_FILE } from './workflow-file.ts';

/**
 * Finding a workflow: by what a user typed (`orchestai run <ref>`, `export`, `--workflow`), or for
 * a recorded run (replay, resume, the viewer). A history is data: the module path a run records
 * in `run.started.source` is shown, never imported. Code runs only from places the user named: a
 * command-line argument, the project config, the package's built-ins.
 */

/** A workflow that cannot be found; the message says what was tried and how to fix it. */
export class WorkflowNotFoundError extends Error {
  override name = 'WorkflowNotFoundError';
}

export interface ResolvedWorkflow {
  workflow: Workflow;
  /** Recorded in `run.started.source`: `builtin:<name>`, `module:<path>`, `file:<path>`, `plan:<json>`; none for project workflows (the id finds them). */
  source?: string;
  /** Where it came from, for people: `built-in build-website`, `module /app/flow.ts`, ... */
  from: string;
  defaultInput?: unknown;
  /** Stops what the workflow's workers hold open (a workflow file's MCP servers); call it when done with the workflow. */
  close?: () => Promise<void>;
}

const MODULE_FILE = /\.[cm]?[jt]sx?$/;

/**
 * Resolves what a user typed: a workflow file (.yaml, .yml, .json), a module path, a workflow id
 * of the project config, or a built-in name (in that order, so a project may reuse a built-in's
 * name for its own workflow).
 *
 * @example
 * const { workflow } = await resolveWorkflowRef('article', process.cwd());
 */
export async function resolveWorkflowRef(ref: string, cwd: string): Promise<ResolvedWorkflow> {
  const file = path.resolve(cwd, ref);
  if (WORKFLOW_FILE.test(ref)) return fromWorkflowFile(file, ref);
  if (MODULE_FILE.test(ref) || (ref.includes('/') && fs.existsSync(file))) return fromModule(file);
  const project = await fromProject(ref, cwd);
  if (project) return project;
  const builtin = fromBuiltin(ref);
  if (builtin) return builtin;
  const hint = findConfigFile(cwd) ? `, the workflows of ${findConfigFile(cwd)}` : ' (no orchestai.config.ts found from here)';
  throw new WorkflowNotFoundError(`unknown workflow ${JSON.stringify(ref)}: not a workflow file, module path, built-in (${Object.keys(builtinWorkflows).join(', ')})${hint}`);
}

/** What a history's first event says about its workflow. */
export interface RecordedWorkflowRef {
  workflowId: string;
  source?: string;
  /** For error messages only. */
  runId?: string;
}

/**
 * The MCP server a planned run used, as its `plan:<json>` source records it (`mcp`): a hint shown
 * to the user, never a command we run or a URL we call. `url` is origin and path only (no query,
 * no credentials); neither holds headers or environment. `{}` marks an older history that did not
 * record the server but planned over workers that are not built in.
 */
export interface RecordedMcpServer {
  command?: string;
  url?: string;
  /** The server's own name, as it announced itself. */
  name?: string;
}

/** Workers of an MCP server the user named for this command (`resume --mcp ...`), to rebuild a recorded MCP plan over. */
export interface McpWorkersForRun {
  workers: readonly AnyWorker[];
  /** The server as the user named it, for messages. */
  label: string;
}

/** Options of `resolveRecordedWorkflow`. */
export interface RecordedWorkflowOptions {
  cwd: string;
  /** The user's `--workflow`, which wins over what the history names. */
  override?: string;
  /**
   * The caller only replays (CLI replay, the viewer's chart and state): a plan over an MCP server
   * is rebuilt with stand-in workers that throw if called, so nothing is started. Without it (and
   * without `mcp`), such a run is an error saying which server to name.
   */
  replayOnly?: boolean;
  /** The server the user named, whose workers a recorded MCP plan is rebuilt over (resume). */
  mcp?: McpWorkersForRun;
}

/** A recorded MCP plan with neither `mcp` workers nor `replayOnly`: the message says which server to name. */
export class McpServerNeededError extends WorkflowNotFoundError {}

/**
 * The workflow of a recorded run: `override` if given (the user's `--workflow`), else a recorded
 * plan rebuilt over the built-in workers (or, for a plan over an MCP server, over `opts.mcp`'s
 * workers or, with `replayOnly`, stand-ins), a recorded built-in, the project's workflow with the
 * recorded id, or the built-in with that id.
 *
 * @example
 * const { workflow } = await resolveRecordedWorkflow(history[0], { cwd: process.cwd() });
 */
export async function resolveRecordedWorkflow(started: RecordedWorkflowRef, opts: RecordedWorkflowOptions): Promise<ResolvedWorkflow> {
  if (opts.override) return resolveWorkflowRef(opts.override, opts.cwd);
  const source = started.source ?? '';
  if (source.startsWith('plan:')) return recordedOverProject(source) ? fromProjectPlan(source, started, opts.cwd) : fromPlan(source, started, opts);
  const named = source.startsWith('builtin:') ? fromBuiltin(source.slice('builtin:'.length)) : undefined;
  if (named) return named;
  const found = (await fromProject(started.workflowId, opts.cwd)) ?? fromBuiltin(started.workflowId);
  if (found) return found;
  throw new WorkflowNotFoundError(notFoundMessage(started, opts.cwd));
}

function notFoundMessage(started: RecordedWorkflowRef, cwd: string): string {
  const config = findConfigFile(cwd);
  const where = config ? `no workflow "${started.workflowId}" in ${config}` : `no orchestai.config.ts from ${cwd} up`;
  const kind = started.source?.match(/^(module|file):/)?.[1];
  const module = kind ? started.source!.slice(kind.length + 1) : undefined;
  const fix = module
    ? `it ran from ${module}, which a history cannot make us load: list that ${kind === 'file' ? 'file' : 'module'} in orchestai.config.ts (workflows: [...]) or pass --workflow ${module}`
    : 'list its module in orchestai.config.ts (workflows: [...]) or pass --workflow <module>';
  return `cannot find workflow "${started.workflowId}" (${where}); ${fix}`;
}

async function fromModule(file: string): Promise<ResolvedWorkflow> {
  if (!fs.existsSync(file)) throw new WorkflowNotFoundError(`workflow module not found: ${file}`);
  const { workflows, main, defaultInput } = await loadWorkflowModule(file);
  if (workflows.length === 0) throw new WorkflowNotFoundError(`${file} exports no workflow: export one made by defineWorkflow (default or named), or a default function returning one`);
  const workflow = main ?? (workflows.length === 1 ? workflows[0] : undefined);
  if (!workflow) throw new WorkflowNotFoundError(`${file} exports ${workflows.length} workflows (${workflows.map((w) => w.id).join(', ')}) and no default: list the module in orchestai.config.ts and name one by id`);
  return { workflow, source: `module:${file}`, from: `module ${file}`, defaultInput };
}

/** A workflow file named by the user; recorded as `file:<path>`, which a history only hints at (like a module). */
async function fromWorkflowFile(file: string, typed: string): Promise<ResolvedWorkflow> {
  if (!fs.existsSync(file)) throw new WorkflowNotFoundError(`workflow file not found: ${file}`);
  const { workflow, close } = await loadWorkflowFile(file, typed);
  return { workflow, source: `file:${file}`, from: `file ${file}`, close };
}

async function fromProject(id: string, cwd: string): Promise<ResolvedWorkflow | undefined> {
  const project = await loadProjectConfig(cwd);
  if (!project) return undefined;
  const found = (await projectWorkflows(project)).get(id);
  return found && { workflow: found.workflow, from: `${found.from === project.file ? 'project config' : WORKFLOW_FILE.test(found.from) ? 'file' : 'module'} ${found.from}`, defaultInput: found.defaultInput };
}

function fromBuiltin(name: string): ResolvedWorkflow | undefined {
  if (!Object.hasOwn(builtinWorkflows, name)) return undefined;
  return { workflow: builtinWorkflows[name](), source: `builtin:${name}`, from: `built-in ${name}`, defaultInput: defaultInputs[name] };
}

/**
 * A planned run rebuilt from its recorded plan: over the built-in workers and the planner's
 * default catalog, or, for a plan over an MCP server, over the workers of the server the user
 * named now, or stand-ins when the caller only replays. The recorded server is never started.
 */
function fromPlan(source: string, started: RecordedWorkflowRef, opts: RecordedWorkflowOptions): ResolvedWorkflow {
  const json = source.slice('plan:'.length);
  const server = recordedMcpServer(source);
  if (!server) return { workflow: workflowFromRecordedPlan(json, defaultWorkers, { catalog: defaultCatalog() }), source, from: 'planned from an instruction' };
  const names = planWorkerNames(json);
  if (opts.mcp) {
    const have = new Set(opts.mcp.workers.map((w) => w.name));
    const missing = names.filter((n) => !have.has(n));
    if (missing.length) throw new WorkflowNotFoundError(`MCP server ${opts.mcp.label} has no tool for ${missing.map((n) => JSON.stringify(n)).join(', ')}, which ${runName(started)} used; name the server it ran with${server.command || server.url ? ` (${describeServer(server)})` : ''}`);
    // Tool workers built without retry or timeout, like at run time: the definition hash matches (workflows/mcp/replay-only.ts).
    return { workflow: workflowFromRecordedPlan(json, opts.mcp.workers), source, from: `planned over the MCP tools of ${opts.mcp.label}` };
  }
  if (opts.replayOnly) {
    // Replay checks events against the chart and never calls a worker; see replay-only.ts for why the hash still matches.
    return { workflow: workflowFromRecordedPlan(json, replayOnlyWorkers(names)), source, from: `planned over the MCP tools of ${describeServer(server)} (replayed without starting it)` };
  }
  throw new McpServerNeededError(mcpNeededMessage(server, started, names));
}

/** The value a recorded plan's `workers` field has when it ran over the project's own workers (`workers` in orchestai.config.ts). */
export const PROJECT_WORKERS = 'project';

/** Whether a recorded `plan:<json>` source ran over the project's own workers. */
function recordedOverProject(source: string): boolean {
  try {
    return (JSON.parse(source.slice('plan:'.length)) as { workers?: unknown } | null)?.workers === PROJECT_WORKERS;
  } catch {
    return false; // not JSON: the built-in path reports it (PlanError)
  }
}

/**
 * A run planned over the project's own workers, rebuilt over them as the config lists them now
 * (the definition hash then tells replay whether they changed).
 */
async function fromProjectPlan(source: string, started: RecordedWorkflowRef, cwd: string): Promise<ResolvedWorkflow> {
  const project = await projectPlanning(cwd);
  if (!project) throw new WorkflowNotFoundError(`${runName(started)} was planned over the workers of a project config, and no orchestai.config.ts from ${cwd} up lists workers; run this in that project`);
  const json = source.slice('plan:'.length);
  const have = new Set(project.workers.map((w) => w.name));
  const missing = planWorkerNames(json).filter((n) => !have.has(n));
  if (missing.length) throw new WorkflowNotFoundError(`${project.file} lists no worker ${missing.map((n) => JSON.stringify(n)).join(', ')}, which ${runName(started)} used`);
  return { workflow: workflowFromRecordedPlan(json, project.workers), source, from: `planned over the workers of ${project.file}` };
}

/**
 * The MCP server a recorded `plan:<json>` source ran over, or undefined for a plan over the
 * built-in workers. A plan without the `mcp` hint (older histories) whose workers are not all
 * built in was an MCP plan too: `{}`.
 *
 * @example
 * recordedMcpServer(history[0].source) // { command: 'node server.mjs' }
 */
export function recordedMcpServer(source: string | undefined): RecordedMcpServer | undefined {
  if (!source?.startsWith('plan:')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(source.slice('plan:'.length));
  } catch {
    return undefined; // not JSON: the built-in path reports it (PlanError)
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if ((value as { workers?: unknown }).workers === PROJECT_WORKERS) return undefined;
  const hint = (value as { mcp?: unknown }).mcp;
  if (typeof hint === 'object' && hint !== null) {
    const out: RecordedMcpServer = {};
    for (const k of ['command', 'url', 'name'] as const) {
      const v = (hint as Record<string, unknown>)[k];
      if (typeof v === 'string' && v) out[k] = v;
    }
    return out;
  }
  const builtin = new Set(defaultWorkers.map((w) => w.name));
  const nodes = (value as { nodes?: unknown }).nodes;
  const foreign = Array.isArray(nodes) && nodes.some((n) => typeof n?.worker === 'string' && !builtin.has(n.worker));
  return foreign ? {} : undefined;
}

/** The distinct worker names of a recorded plan's JSON (malformed nodes are left to workflowFromRecordedPlan to report). */
function planWorkerNames(json: string): string[] {
  const nodes = (JSON.parse(json) as { nodes?: unknown }).nodes;
  const names = Array.isArray(nodes) ? nodes.map((n) => n?.worker).filter((w): w is string => typeof w === 'string') : [];
  return [...new Set(names)];
}

const runName = (started: RecordedWorkflowRef) => (started.runId ? `run ${started.runId}` : 'the run');

/** A command line quoted for a POSIX shell's double quotes, so the hint can be pasted. */
const quoted = (s: string) => `"${s.replace(/(["\\$`])/g, '\\$1')}"`;

function describeServer(server: RecordedMcpServer): string {
  if (server.command) return `\`${server.command}\``;
  if (server.url) return server.url;
  return server.name ? `"${server.name}"` : 'an MCP server';
}

/** What to pass to continue a run over an MCP server: the recorded command or URL, shown and never run. */
function mcpNeededMessage(server: RecordedMcpServer, started: RecordedWorkflowRef, names: string[]): string {
  const run = runName(started);
  if (server.command) return `${run} used MCP server \`${server.command}\`, which a history cannot make us start: pass --mcp ${quoted(server.command)} to resume it`;
  if (server.url) return `${run} used the MCP server at ${server.url}, which a history cannot make us call: pass --mcp-url ${server.url} (with any query it needs) to resume it`;
  return `${run} was planned over tools that are not built in (${names.join(', ')}), from an MCP server its history does not name: pass --mcp "<command>" or --mcp-url <url> of that server to resume it`;
}
