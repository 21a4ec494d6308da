import type { HistoryEvent } from '../../machines/history/events.ts';
import type { Workflow } from '../../machines/index.ts';
import type { Json } from '../../transformers/index.ts';
import type { HistoryStore } from '../history/store.ts';
import { resolveRecordedWorkflow, WorkflowNotFoundError } from '../project/resolve.ts';
import { newRunId, startRun, type RunHandle } from '../run.ts';

/**
 * Starts the runs that `POST /api/runs` asks for, in this process, on the server's store. At most
 * `maxRuns` run at once; the rest wait in order (the queue depth the metrics show). A run that
 * waits already has its id, and its history appears when it starts.
 */

/** A workflow found by what a client named. */
export interface LaunchableWorkflow {
  workflow: Workflow;
  source?: string;
  defaultInput?: unknown;
}

/** Finds the workflow a client names; throws `WorkflowNotFoundError` (a 404) when there is none. */
export type WorkflowFinder = (ref: string) => Promise<LaunchableWorkflow>;

/**
 * Finds a workflow of the project config (by id) or a built-in, nothing else: a client of the API
 * must not make the server import a module or read a file it names.
 *
 * @example
 * const find = projectOrBuiltin(process.cwd());
 * const { workflow } = await find('build-website');
 */
export function projectOrBuiltin(cwd: string): WorkflowFinder {
  return async (ref) => {
    if (!/^[\w.:-]+$/.test(ref) || /\.([cm]?[jt]sx?|ya?ml|json)$/i.test(ref)) {
      throw new WorkflowNotFoundError(`workflow ${JSON.stringify(ref)}: name a workflow id of the project config or a built-in, not a path`);
    }
    const r = await resolveRecordedWorkflow({ workflowId: ref }, { cwd });
    return { workflow: r.workflow, source: r.source, defaultInput: r.defaultInput };
  };
}

/** What `POST /api/runs` gives a run to: this process (`RunLauncher`), or a store hubs take runs from (`StoreSubmitter`). */
export interface Launcher {
  /** Finds the workflow, then starts or queues the run; `priority`: lower starts first. */
  launch(ref: string, input: Json | undefined, priority?: number): Promise<{ runId: string; workflowId: string; status: 'started' | 'queued' }>;
  /** Whether a run waits here without a history yet (the stream and the control wait or refuse). */
  isQueued(runId: string): boolean;
  /** Runs accepted and not started yet (the metrics' queue depth). */
  depth(): Promise<number>;
  close(): Promise<void>;
}

export interface LauncherOptions {
  store: HistoryStore;
  find: WorkflowFinder;
  /** At most this many runs at once; default 16. */
  maxRuns?: number;
  /** Every event of every run started here (the metrics). */
  onEvent?: (runId: string, event: HistoryEvent) => void;
}

interface Waiting {
  runId: string;
  workflow: LaunchableWorkflow;
  input: Json;
  priority: number;
}

export class RunLauncher implements Launcher {
  private readonly running = new Map<string, RunHandle>();
  private readonly waiting: Waiting[] = [];
  private readonly settled = new Set<Promise<unknown>>();

  constructor(private readonly options: LauncherOptions) {}

  /** Runs waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async depth(): Promise<number> {
    return this.waiting.length;
  }

  /**
   * Finds the workflow, then starts the run now or queues it (by priority, lower first, then in order).
   *
   * @example
   * const { runId, status } = await launcher.launch('build-website', { topic: 'x' });
   */
  async launch(ref: string, input: Json | undefined, priority = 0): Promise<{ runId: string; workflowId: string; status: 'started' | 'queued' }> {
    const workflow = await this.options.find(ref);
    const runId = newRunId();
    const behind = this.waiting.findIndex((w) => w.priority > priority);
    this.waiting.splice(behind < 0 ? this.waiting.length : behind, 0, { runId, workflow, input: (input === undefined ? (workflow.defaultInput ?? null) : input) as Json, priority });
    this.startWaiting();
    return { runId, workflowId: workflow.workflow.id, status: this.running.has(runId) ? 'started' : 'queued' };
  }

  /** Whether a run waits in the queue (it has an id, not yet a history). */
  isQueued(runId: string): boolean {
    return this.waiting.some((w) => w.runId === runId);
  }

  /** The handle of a run started here and not yet ended. */
  handle(runId: string): RunHandle | undefined {
    return this.running.get(runId);
  }

  /** Drops the queue and interrupts the runs still going (each can be resumed later), then waits for them to stop. */
  async close(): Promise<void> {
    this.waiting.length = 0;
    for (const h of this.running.values()) h.interrupt('the server stopped');
    await Promise.allSettled([...this.settled]);
  }

  private startWaiting(): void {
    const max = this.options.maxRuns ?? 16;
    while (this.running.size < max && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const { onEvent } = this.options;
      const handle = startRun(next.workflow.workflow, next.input, {
        store: this.options.store,
        runId: next.runId,
        source: next.workflow.source,
        onEvent: onEvent && ((e) => onEvent(next.runId, e)),
      });
      this.running.set(next.runId, handle);
      const done = handle.result.then(
        () => undefined,
        (e) => process.stderr.write(`orchestai server: run ${next.runId} failed to run: ${e?.message ?? e}\n`),
      ).finally(() => {
        this.running.delete(next.runId);
        this.settled.delete(done);
        this.startWaiting();
      });
      this.settled.add(done);
    }
  }
}
