import type { Json } from '../../transformers/index.ts';
import type { RunStore } from '../history/run-store.ts';
import { newRunId } from '../run.ts';
import type { Launcher, WorkflowFinder } from './launcher.ts';

/**
 * `POST /api/runs` on a shared store (PostgreSQL): the server does not run the workflow, it
 * records the run (`RunStore.submit`: workflow, input, priority, no events, no holder) and the
 * hubs (`orchestai hub`) claim and drive it. The workflow is still looked up here, so a client
 * naming no workflow gets its 404 at once, and the run carries its workflow id and source.
 */

/** How many of the newest unfinished runs a scrape looks at to count the queued ones. */
const DEPTH_SCAN = 10_000;

export class StoreSubmitter implements Launcher {
  constructor(private readonly store: Pick<RunStore, 'submit' | 'listRuns'>, private readonly find: WorkflowFinder) {}

  /** Nothing waits in this process: a submitted run is in the store at once. */
  get queued(): number {
    return 0;
  }

  /**
   * Submits a run for the hubs.
   *
   * @example
   * const { runId } = await submitter.launch('build-website', { topic: 'x' }, 5); // status 'queued'
   */
  async launch(ref: string, input: Json | undefined, priority?: number): Promise<{ runId: string; workflowId: string; status: 'queued' }> {
    const found = await this.find(ref);
    const runId = newRunId();
    const workflowId = found.workflow.id;
    await this.store.submit(runId, { workflowId, ...(priority === undefined ? {} : { priority }), ...(found.source ? { source: found.source } : {}) }, (input === undefined ? (found.defaultInput ?? null) : input) as Json);
    return { runId, workflowId, status: 'queued' };
  }

  isQueued(): boolean {
    return false;
  }

  /** Runs submitted and not started by a hub yet: the store lists them `running` with no owner (no hub holds them). */
  async depth(): Promise<number> {
    const { runs } = await this.store.listRuns({ limit: DEPTH_SCAN, status: 'running' });
    return runs.filter((run) => !run.owner).length;
  }

  async close(): Promise<void> {}
}
