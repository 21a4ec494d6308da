import type { Context } from 'hono';
import type { HistoryStore } from '../history/store.ts';
import type { WorkflowResolver } from './workflows.ts';
import type { RunReader } from './run-reader.ts';
import type { planView } from './plan.ts';

/**
 * What every route handler can reach: the app puts these on the context (`c.var.ui`) once, so
 * handlers are plain named functions rather than closures built per app.
 */

/** The viewer only reads from a store. */
export type UiStore = Pick<HistoryStore, 'root' | 'listRuns' | 'read' | 'exists' | 'pathOf'>;

/** Imports the planner module on first use (see `load-planner.ts`). */
export type PlannerLoader = () => Promise<Parameters<typeof planView>[0]>;

export interface UiDeps {
  store: UiStore;
  resolver: WorkflowResolver;
  planner: PlannerLoader;
  /** Reads a run's events (cached), throwing `HttpError` 404/422 for a missing or broken history. */
  readRun: RunReader;
}

/** The Hono environment of the viewer app. */
export type UiEnv = { Variables: { ui: UiDeps } };

/** A request context of the viewer app; `Path` is the route, which types `c.req.param()`. */
export type UiContext<Path extends string = any> = Context<UiEnv, Path>;
