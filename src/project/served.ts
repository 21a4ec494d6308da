import type { Workflow } from '../../machines/index.ts';
import { findConfigFile, loadProjectConfig, ProjectConfigError } from './config.ts';
import { resolveWorkflowRef } from './resolve.ts';
import { projectWorkflows } from './workflows.ts';

/**
 * The workflows a long-lived process serves (a hub drives their runs, a worker process runs their
 * workers): the ones named (ids, modules or files, each resolved like `orchestai run` does), else
 * every workflow of the project config found from `cwd`.
 *
 * @example
 * const workflows = await servedWorkflows(['flows/article.ts'], process.cwd());
 */
export async function servedWorkflows(refs: readonly string[], cwd: string): Promise<Workflow[]> {
  if (refs.length > 0) return Promise.all(refs.map(async (ref) => (await resolveWorkflowRef(ref, cwd)).workflow));
  const project = await loadProjectConfig(cwd);
  if (!project) throw new ProjectConfigError(findConfigFile(cwd) ?? cwd, 'no orchestai.config.ts found from here: name the workflows to serve with --workflow <id|module|file>');
  const found = [...(await projectWorkflows(project)).values()].map((p) => p.workflow);
  if (found.length === 0) throw new ProjectConfigError(project.file, 'the config declares no workflows: nothing to serve');
  return found;
}
