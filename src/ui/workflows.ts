import path from 'node:path';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { compileWorkflow, type Workflow } from '../../machines/index.ts';
import { renderWorkflowSvg } from '../viz/svg.ts';
import { builtinWorkflows } from '../../workflows/index.ts';

/**
 * Finds the workflow a recorded run used, the way the CLI does for replay: a built-in name
 * from `workflows/index.ts`, else a module path recorded in `run.started.source`, else the
 * workflow id as a built-in name. Compiled charts are cached by workflow hash.
 */

export type WorkflowRegistry = Record<string, () => Workflow>;

export interface ResolvedWorkflow {
  workflow: Workflow;
  config: Record<string, any>;
  /** Where it came from, shown on the page. */
  from: string;
}

function isWorkflow(v: unknown): v is Workflow {
  return !!v && typeof v === 'object' && (v as any).kind === 'workflow' && typeof (v as any).id === 'string';
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
    const registry: WorkflowRegistry = { ...builtinWorkflows, ...extra };
    const tried: string[] = [];
    const compiled = (workflow: Workflow, from: string): ResolvedWorkflow => ({ workflow, config: compileWorkflow(workflow).config, from });
    if (source && registry[source]) return compiled(registry[source](), `built-in ${source}`);
    if (source) tried.push(`built-in ${JSON.stringify(source)}`);
    if (source && /[\\/]|\.[cm]?[jt]s$/.test(source)) {
      const file = path.resolve(this.options.cwd ?? process.cwd(), source);
      tried.push(`module ${file}`);
      if (fs.existsSync(file)) {
        const mod = await import(pathToFileURL(file).href);
        const candidates = [mod.default, ...Object.values(mod)].map((v) => (typeof v === 'function' && !isWorkflow(v) ? undefined : v));
        const wf = candidates.find((v) => isWorkflow(v) && v.id === workflowId) ?? candidates.find(isWorkflow);
        if (wf) return compiled(wf as Workflow, `module ${source}`);
      }
    }
    if (registry[workflowId]) return compiled(registry[workflowId](), `built-in ${workflowId}`);
    tried.push(`built-in ${JSON.stringify(workflowId)}`);
    throw new Error(`cannot load workflow ${JSON.stringify(workflowId)} for the chart (tried ${tried.join(', ')})`);
  }
}
