import { randomBytes } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { RunStore } from '../history/run-store.ts';
import type { HistoryStore } from '../history/store.ts';
import { createUiApp } from '../ui/app.ts';
import { browserControl } from '../ui/browser-control.ts';
import type { PlannerLoader } from '../ui/context.ts';
import { HttpError, reportToStderr, type UiErrorReporter } from '../ui/errors.ts';
import { isRunBrowser, storeView } from '../ui/store-view.ts';
import type { WorkflowResolver } from '../ui/workflows.ts';
import { requireRoleToken, type ServerEnv } from './auth.ts';
import { RunLauncher, type Launcher, type WorkflowFinder } from './launcher.ts';
import { createServerMetrics, type ServerMetrics } from './metrics.ts';
import { registerAdminRoutes } from './api-admin.ts';
import { registerControlRoutes } from './api-control.ts';
import type { ApiDeps } from './api-deps.ts';
import { registerRunRoutes } from './api-runs.ts';
import { StoreSubmitter } from './submitter.ts';
import type { TokenStore } from './tokens.ts';

/**
 * `orchestai server` as a Hono app: the JSON API (declared with OpenAPI in routes.ts), metrics,
 * and the viewer, behind role tokens. The viewer app is reused as is: the server checks the role
 * token, then hands the request to the viewer with a secret of its own (made per app, never
 * shown), so the viewer's own token rule is met without a second login. Built from its
 * dependencies only, so tests call `app.request(…)` without a port.
 *
 * On the JSONL store the runs `POST /api/runs` asks for run in this process; on a shared store
 * (a `RunStore`: PostgreSQL) they are submitted, and hubs drive them. Everything else reads and
 * controls either store the same way, through its `RunBrowser`.
 */

export interface ServerAppOptions {
  /** The JSONL store, or a shared `RunStore` (PostgreSQL). */
  store: HistoryStore | RunStore;
  /** Draws a run's chart for the viewer (recorded runs). */
  resolver: WorkflowResolver;
  /** Finds the workflow `POST /api/runs` names (default in the CLI: project ids and built-ins). */
  find: WorkflowFinder;
  planner: PlannerLoader;
  tokens: TokenStore;
  /** At most this many runs started by the API at once; default 16. */
  maxRuns?: number;
  /** How often SSE looks at a live JSONL run's history (and whether a run is still held); default 100 ms. */
  ssePollMs?: number;
  onError?: UiErrorReporter;
}

export interface ServerApp {
  app: OpenAPIHono<ServerEnv>;
  launcher: Launcher & { readonly queued: number };
  metrics: ServerMetrics;
  /** Interrupts the runs this app started (each can be resumed) and waits for them to stop; a shared store is left open (its opener closes it). */
  close(): Promise<void>;
}

/**
 * Builds the server app.
 *
 * @example
 * const { app } = createServerApp({ store, resolver: new WorkflowResolver(), find: projectOrBuiltin(cwd), planner: loadPlanner, tokens: new TokenStore(store.root) });
 * await app.request('/api/runs', { headers: { authorization: `Bearer ${secret}` } });
 */
export function createServerApp(options: ServerAppOptions): ServerApp {
  const { store, tokens } = options;
  const browser = storeView(store, { pollMs: options.ssePollMs }).browser;
  const control = browserControl(browser);
  let launcher: ServerApp['launcher'];
  const metrics = createServerMetrics(browser, () => launcher.depth());
  launcher = isRunBrowser(store)
    ? new StoreSubmitter(store, options.find)
    : new RunLauncher({ store, find: options.find, maxRuns: options.maxRuns, onEvent: (runId, e) => metrics.observe(runId, e) });
  const viewerSecret = randomBytes(24).toString('base64url');
  const viewer = createUiApp({ store, resolver: options.resolver, planner: options.planner, token: viewerSecret, control, onError: options.onError });
  const report = options.onError ?? reportToStderr;

  const app = new OpenAPIHono<ServerEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        return c.json({ error: 'bad request', message: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` }, 400);
      }
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'a token from `orchestai token create --role viewer|operator|admin`' });
  app.use(noStoreNoSniff, requireRoleToken(tokens));
  // Bodies are small JSON (a run input at most): anything larger is refused before it is read.
  app.use('/api/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'payload too large', message: 'the request body is larger than 1 MiB' }, 413) }));

  /** The viewer's answer to the same request, with the viewer's secret in place of the role token. */
  const toViewer = (c: Context) => {
    const url = new URL(c.req.url);
    url.searchParams.delete('token');
    const headers = new Headers(c.req.raw.headers);
    headers.set('authorization', `Bearer ${viewerSecret}`);
    headers.delete('cookie');
    return viewer.fetch(new Request(url, { method: c.req.method, headers }));
  };
  const deps: ApiDeps = { store: browser, launcher, control, planner: options.planner, tokens, metrics, toViewer, ssePollMs: options.ssePollMs };
  registerRunRoutes(app, deps);
  registerControlRoutes(app, deps);
  registerAdminRoutes(app, deps);

  app.doc31('/api/openapi.json', { openapi: '3.1.0', info: { title: 'orchestai server', version: '1', description: 'Start, watch, approve and cancel workflow runs. Every route but this document needs a bearer token with a role: viewer (read), operator (start, approve, reject, cancel, plan), admin (tokens, prune).' } });

  // Everything else is the viewer: its pages, assets and the reads its pages make.
  app.all('*', toViewer);
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.title, message: err.message }, err.status as 400);
    const id = randomBytes(4).toString('hex');
    try {
      report(err, { id, method: c.req.method, path: c.req.path });
    } catch {
      // A failing reporter must not turn the 500 into a dropped connection.
    }
    return c.json({ error: 'server error', message: `something went wrong on the server (error id ${id}); its log has the details` }, 500);
  });
  return { app, launcher, metrics, close: () => launcher.close() };
}

const noStoreNoSniff = createMiddleware(async (c, next) => {
  await next();
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
});
