import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Workflow } from '../../machines/index.ts';
import { CliError } from './command.ts';

export interface ResolvedWorkflow {
  workflow: Workflow;
  /** Recorded in `run.started.source` so replay and resume can find the workflow again. */
  source: string;
  defaultInput?: unknown;
}

/**
 * Finds a workflow by built-in name, module path, or a recorded source string
 * (`builtin:<name>`, `module:<path>`, `plan:<json>`).
 *
 * @example
 * const { workflow } = await resolveWorkflow('build-website', process.cwd());
 */
export async function resolveWorkflow(ref: string, cwd: string): Promise<ResolvedWorkflow> {
  if (ref.startsWith('builtin:')) return builtin(ref.slice('builtin:'.length));
  if (ref.startsWith('module:')) return fromModule(ref.slice('module:'.length), cwd);
  if (ref.startsWith('plan:')) return fromPlan(ref.slice('plan:'.length));
  const file = path.resolve(cwd, ref);
  if (/\.(m?[jt]s)$/.test(ref) || fs.existsSync(file)) return fromModule(file, cwd);
  return builtin(ref);
}

async function builtin(name: string): Promise<ResolvedWorkflow> {
  const registry = await import('../../workflows/index.ts');
  const make = registry.builtinWorkflows[name];
  if (!make) throw new CliError(`unknown workflow ${JSON.stringify(name)}: built-in workflows are ${Object.keys(registry.builtinWorkflows).join(', ')}; or give a module path`);
  return { workflow: make(), source: `builtin:${name}`, defaultInput: registry.defaultInputs?.[name] };
}

async function fromModule(file: string, cwd: string): Promise<ResolvedWorkflow> {
  const abs = path.resolve(cwd, file);
  if (!fs.existsSync(abs)) throw new CliError(`workflow module not found: ${abs}`);
  let mod: any;
  try {
    mod = await import(pathToFileURL(abs).href);
  } catch (e) {
    throw new CliError(`cannot load workflow module ${abs}: ${(e as Error).message}`);
  }
  let w = mod.default ?? mod.workflow;
  if (typeof w === 'function') w = await w();
  if (!w || w.kind !== 'workflow') throw new CliError(`${abs} must export a workflow (default export or \`workflow\`) made by defineWorkflow, or a function returning one`);
  return { workflow: w, source: `module:${abs}`, defaultInput: mod.defaultInput };
}

async function fromPlan(json: string): Promise<ResolvedWorkflow> {
  let plan: any;
  try {
    plan = JSON.parse(json);
  } catch (e) {
    throw new CliError(`the recorded plan is not valid JSON: ${(e as Error).message}`);
  }
  const { workflowFromRecordedPlan } = await import('../../planner/compile-plan.ts');
  return { workflow: await workflowFromRecordedPlan(plan), source: `plan:${json}` };
}
