import type { Context } from 'hono';
import type { HistoryStore } from '../history/store.ts';
import type { WorkflowResolver } from './workflows.ts';
import type { RunReader } from './run-reader.ts';
import type { planView } from './plan.ts';

/**
 * What every route handler can reach: the app puts these on the context (`c.var.ui`) once, so
 * handlers are plain named functions rather than closures built per app.
 */

/** The viewer only reads from a store (and asks who holds a run, when the store can say). */
export type UiStore = Pick<HistoryStore, 'root' | 'listRuns' | 'read' | 'exists' | 'pathOf'> & Partial<Pick<HistoryStore, 'ownerOf'>>;

/** Imports the planner module on first use (see `load-planner.ts`). */
export type PlannerLoader = () => Promise<Parameters<typeof planView>[0]>;

/**
 * Acts on runs for the viewer's Approve / Reject / Cancel buttons (implemented outside the
 * viewer, by whatever owns the runs). A decision reaches a run that is running in this
 * process or a hub right away (`live`), or waits for the run's next resume (`queued`).
 * A refusal (the step is not waiting, the run is finished, ...) is thrown as an `Error` whose
 * message is shown to the user as is.
 */
export interface RunControl {
  approve(runId: string, step: string, decision: { approved: boolean; by?: string; comment?: string }): Promise<{ delivered: 'live' | 'queued' }>;
  cancel(runId: string, request: { reason?: string; by?: string }): Promise<{ delivered: 'live' | 'queued' }>;
}

export interface UiDeps {
  store: UiStore;
  resolver: WorkflowResolver;
  planner: PlannerLoader;
  /** Reads a run's events (cached), throwing `HttpError` 404/422 for a missing or broken history. */
  readRun: RunReader;
  /** Approves, rejects and cancels runs; without it the viewer only reads (the buttons are hidden, the routes answer 501). */
  control?: RunControl;
}

/** The Hono environment of the viewer app. */
export type UiEnv = { Variables: { ui: UiDeps } };

/** A request context of the viewer app; `Path` is the route, which types `c.req.param()`. */
export type UiContext<Path extends string = any> = Context<UiEnv, Path>;
