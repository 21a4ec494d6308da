import fs from 'node:fs';
import path from 'node:path';
import type { Workflow } from '../../machines/index.ts';
import { ProjectConfigError, type LoadedConfig } from './config.ts';
import { importUserModule } from './import-module.ts';
import { loadWorkflowFile, WORKFLOW_FILE } from './workflow-file.ts';

const isWorkflow = (v: unknown): v is Workflow => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'workflow';

/** What a workflow module offers: its workflows, and the input `orchestai run` uses when given none. */
export interface WorkflowModule {
  workflows: Workflow[];
  /** The default export's workflow, which `orchestai run <module>` runs when there are several. */
  main?: Workflow;
  defaultInput?: unknown;
}

/**
 * Loads a workflow module: its default export (a workflow, or a function returning one, called
 * once), then every named export that is a workflow, and an optional `defaultInput` export. A
 * module is imported, never run as a script, so its top level should define, not `await run(...)`.
 *
 * @example
 * const { workflows: [article] } = await loadWorkflowModule('/home/ana/app/flows/article.ts');
 */
export async function loadWorkflowModule(file: string): Promise<WorkflowModule> {
  const mod = await importUserModule(file);
  let first = mod.default;
  if (typeof first === 'function') first = await first();
  const found = [first, ...Object.entries(mod).filter(([k]) => k !== 'default').map(([, v]) => v)].filter(isWorkflow);
  return { workflows: [...new Set(found)], main: isWorkflow(first) ? first : undefined, defaultInput: mod.defaultInput };
}

/** A workflow of the project and where it was declared (a module path, or the config itself). */
export interface ProjectWorkflow {
  workflow: Workflow;
  from: string;
  /** The module's `defaultInput`, which `orchestai run <id>` uses when given no input. */
  defaultInput?: unknown;
}

const byConfig = new WeakMap<LoadedConfig, Promise<Map<string, ProjectWorkflow>>>();

/**
 * The project's workflows by id, from every entry of its config. Two workflows with one id, a
 * module that is missing or exports none: errors naming the config, the entry and the module.
 *
 * @example
 * const workflows = await projectWorkflows(await loadProjectConfig(cwd));
 * workflows.get('article')?.workflow
 */
export function projectWorkflows(project: LoadedConfig): Promise<Map<string, ProjectWorkflow>> {
  let p = byConfig.get(project);
  if (!p) byConfig.set(project, (p = collect(project)));
  return p;
}

async function collect(project: LoadedConfig): Promise<Map<string, ProjectWorkflow>> {
  const out = new Map<string, ProjectWorkflow>();
  const entries = project.config.workflows;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const where = `workflows[${i}]`;
    const found = typeof entry === 'string' ? await moduleEntry(project, where, entry) : [{ workflow: entry, from: project.file }];
    for (const pw of found) {
      const prior = out.get(pw.workflow.id);
      if (prior && prior.workflow !== pw.workflow) throw new ProjectConfigError(project.file, `${where}: workflow id "${pw.workflow.id}" is declared twice (${prior.from} and ${pw.from})`);
      out.set(pw.workflow.id, pw);
    }
  }
  return out;
}

async function moduleEntry(project: LoadedConfig, where: string, rel: string): Promise<ProjectWorkflow[]> {
  const file = path.resolve(project.root, rel);
  if (!fs.existsSync(file)) throw new ProjectConfigError(project.file, `${where}: ${WORKFLOW_FILE.test(rel) ? 'workflow file' : 'module'} ${rel} not found (looked for ${file})`);
  if (WORKFLOW_FILE.test(rel)) {
    // A file's MCP servers would outlive every use of a cached project workflow, so they are refused here.
    const { workflow, usesMcp, close } = await loadWorkflowFile(file);
    if (usesMcp) {
      await close();
      throw new ProjectConfigError(project.file, `${where}: ${rel} uses MCP workers, which a project workflow cannot keep open; run the file itself (orchestai run ${rel})`);
    }
    return [{ workflow, from: file }];
  }
  const { workflows, defaultInput } = await loadWorkflowModule(file);
  if (workflows.length === 0) throw new ProjectConfigError(project.file, `${where}: ${rel} exports no workflow (export one made by defineWorkflow, as default or by name)`);
  return workflows.map((workflow) => ({ workflow, from: file, defaultInput }));
}
