import type { Workflow } from '../../machines/index.ts';
import { compiledOf } from '../compiled.ts';
import { renderWorkflowSvg } from '../viz/svg.ts';
import { resolveRecordedWorkflow } from '../project/resolve.ts';

/**
 * Finds the workflow a recorded run used, the way the CLI does for replay (a recorded plan or
 * built-in, else the project config's workflow with the recorded id, else a built-in with that
 * id); `extra` workflows (tests, embedders) come first. Compiled charts are cached by workflow hash.
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
    const name = source?.startsWith('builtin:') ? source.slice('builtin:'.length) : workflowId;
    if (Object.hasOwn(extra, name)) return compiled(extra[name](), `built-in ${name}`);
    // The viewer only draws and replays: a run over an MCP server gets stand-in workers, never its server.
    const r = await resolveRecordedWorkflow({ workflowId, source }, { cwd: this.options.cwd ?? process.cwd(), replayOnly: true });
    return compiled(r.workflow, r.from);
  }
}
