import type { Context } from 'hono';
import type { RunBrowser } from '../history/run-store.ts';
import type { WorkflowResolver } from './workflows.ts';
import type { RunReader } from './run-reader.ts';
import type { planView } from './plan.ts';
import type { AnyStore, HistoryFiles } from './store-view.ts';

/**
 * What every route handler can reach: the app puts these on the context (`c.var.ui`) once, so
 * handlers are plain named functions rather than closures built per app.
 */

/** What the viewer shows: the JSONL store, or any `RunBrowser` (the PostgreSQL store); it only reads. */
export type UiStore = AnyStore;

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
  /** The store, read asynchronously (see `store-view.ts`). */
  store: RunBrowser;
  /** Where the histories are, as the page shows it. */
  label: string;
  /** The history files of a JSONL store (undefined for a database store). */
  files?: HistoryFiles;
  resolver: WorkflowResolver;
  planner: PlannerLoader;
  /** Reads a run's events (cached), rejecting with `HttpError` 404/422 for a missing or broken history (409 for a run not started yet). */
  readRun: RunReader;
  /** Approves, rejects and cancels runs; without it the viewer only reads (the buttons are hidden, the routes answer 501). */
  control?: RunControl;
}

/** The Hono environment of the viewer app. */
export type UiEnv = { Variables: { ui: UiDeps } };

/** A request context of the viewer app; `Path` is the route, which types `c.req.param()`. */
export type UiContext<Path extends string = any> = Context<UiEnv, Path>;
