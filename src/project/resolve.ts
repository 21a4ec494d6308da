import fs from 'node:fs';
import path from 'node:path';
import type { Workflow } from '../../machines/index.ts';
import { defaultCatalog } from '../../planner/default-model.ts';
import { workflowFromRecordedPlan } from '../../planner/compile-plan.ts';
import { builtinWorkflows, defaultInputs } from '../../workflows/builtins.ts';
import { defaultWorkers } from '../../workflows/catalog.ts';
import { findConfigFile, loadProjectConfig } from './config.ts';
import { loadWorkflowModule, projectWorkflows } from './workflows.ts';
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
}

/**
 * The workflow of a recorded run: `override` if given (the user's `--workflow`), else a recorded
 * plan rebuilt over the built-in workers, a recorded built-in, the project's workflow with the
 * recorded id, or the built-in with that id.
 *
 * @example
 * const { workflow } = await resolveRecordedWorkflow(history[0], { cwd: process.cwd() });
 */
export async function resolveRecordedWorkflow(started: RecordedWorkflowRef, opts: { cwd: string; override?: string }): Promise<ResolvedWorkflow> {
  if (opts.override) return resolveWorkflowRef(opts.override, opts.cwd);
  const source = started.source ?? '';
  if (source.startsWith('plan:')) return fromPlan(source);
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

/** A planned run rebuilt from its recorded plan, over the built-in workers and the planner's default catalog. */
function fromPlan(source: string): ResolvedWorkflow {
  const workflow = workflowFromRecordedPlan(source.slice('plan:'.length), defaultWorkers, { catalog: defaultCatalog() });
  return { workflow, source, from: 'planned from an instruction' };
}
