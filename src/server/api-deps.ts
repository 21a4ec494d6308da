import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { RunBrowser } from '../history/run-store.ts';
import type { RunControl, PlannerLoader } from '../ui/context.ts';
import type { ServerEnv } from './auth.ts';
import type { Launcher } from './launcher.ts';
import type { ServerMetrics } from './metrics.ts';
import type { TokenStore } from './tokens.ts';

/** What the API's route groups (api-runs.ts, api-control.ts, api-admin.ts) work with; app.ts builds it once. */
export interface ApiDeps {
  /** Any store, read asynchronously. */
  store: RunBrowser;
  launcher: Launcher;
  control: RunControl;
  planner: PlannerLoader;
  tokens: TokenStore;
  metrics: ServerMetrics;
  /** The viewer's answer to the same request (app.ts). */
  toViewer(c: Context): Response | Promise<Response>;
  ssePollMs?: number;
}

export type ApiApp = OpenAPIHono<ServerEnv>;
