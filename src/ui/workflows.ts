import type { Workflow } from '../../machines/index.ts';
import { compiledOf } from '../compiled.ts';
import { renderWorkflowSvg } from '../viz/svg.ts';
import { builtinWorkflows } from '../../workflows/index.ts';
import { resolveWorkflow } from '../cli/workflow-source.ts';

/**
 * Finds the workflow a recorded run used, the way the CLI does for replay (`run.started.source`:
 * `builtin:<name>`, `module:<path>`, `plan:<json>`), falling back to the workflow id as a
 * built-in name. Compiled charts are cached by workflow hash.
 */

export type WorkflowRegistry = Record<string, () => Workflow>;

export interface ResolvedWorkflow {
  workflow: Workflow;
  config: Record<string, any>;
  /** Where it came from, shown on the page. */
  from: string;
}

export class WorkflowResolver {
  private cache = new Map<string, Promise<ResolvedWorkflow>>();
  private svgCache = new Map<string, Promise<string>>();

  constructor(private readonly options: { extra?: WorkflowRegistry; cwd?: string } = {}) {}

  /**
   * Loads and compiles the workflow of a run; rejects with a message saying what was tried.
   *
   * @example
   * const { workflow, config } = await resolver.resolve('build-website', 'build-website');
   */
  resolve(workflowId: string, source?: string): Promise<ResolvedWorkflow> {
    const key = `${workflowId}\u0000${source ?? ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.load(workflowId, source);
      this.cache.set(key, p);
      // A failure may be fixed later (module created): do not cache it forever.
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  /**
   * The workflow's statechart as SVG, cached by workflow hash.
   *
   * @example
   * const svg = await resolver.chartSvg('build-website');
   */
  async chartSvg(workflowId: string, source?: string): Promise<string> {
    const r = await this.resolve(workflowId, source);
    const key = r.workflow.hash || r.workflow.id;
    let p = this.svgCache.get(key);
    if (!p) {
      p = renderWorkflowSvg(r.config, { idPrefix: 'wf', title: `statechart ${r.workflow.id}` });
      this.svgCache.set(key, p);
      p.catch(() => this.svgCache.delete(key));
    }
    return p;
  }

  private async load(workflowId: string, source?: string): Promise<ResolvedWorkflow> {
    const extra = this.options.extra ?? {};
    const compiled = (workflow: Workflow, from: string): ResolvedWorkflow => ({ workflow, config: compiledOf(workflow).config, from });
    const name = source?.startsWith('builtin:') ? source.slice('builtin:'.length) : source;
    if (name && extra[name]) return compiled(extra[name](), `built-in ${name}`);
    if (!source && extra[workflowId]) return compiled(extra[workflowId](), `built-in ${workflowId}`);
    // The same resolution the CLI uses for replay/resume: builtin:<name>, module:<path>, plan:<json>, a path, a name.
    try {
      const r = await resolveWorkflow(source ?? workflowId, this.options.cwd ?? process.cwd());
      return compiled(r.workflow, describeSource(r.source));
    } catch (e: any) {
      if (source && builtinWorkflows[workflowId]) return compiled(builtinWorkflows[workflowId](), `built-in ${workflowId} (recorded source ${source} failed: ${e?.message ?? e})`);
      throw new Error(`cannot load workflow ${JSON.stringify(workflowId)} from ${JSON.stringify(source ?? workflowId)}: ${e?.message ?? e}`);
    }
  }
}

function describeSource(source: string): string {
  if (source.startsWith('builtin:')) return `built-in ${source.slice(8)}`;
  if (source.startsWith('module:')) return `module ${source.slice(7)}`;
  if (source.startsWith('plan:')) return 'planned from an instruction';
  return source;
}
