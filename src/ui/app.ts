import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { allowedMethods, loopbackHostOnly, requireToken, sameOriginJson } from './access.ts';
import type { PlannerLoader, RunControl, UiDeps, UiEnv, UiStore } from './context.ts';
import { handleErrors, HttpError, nonErrorsAsErrors, reportToStderr, respondWithHttpError, type UiErrorReporter } from './errors.ts';
import { createRunReader } from './run-reader.ts';
import { storeView } from './store-view.ts';
import type { WorkflowResolver } from './workflows.ts';
import { approveStep, cancelRun, controlBodyLimit } from './routes/control-api.ts';
import { planApi } from './routes/plan-api.ts';
import { routingApi, routingPage } from './routes/routing-api.ts';
import { runChartSvg, runEvents, runList, runState, runSummary, runTimelineSvg, unknownRunView, viewerMeta } from './routes/run-api.ts';
import { planPage, runListPage, runPage } from './routes/shell-pages.ts';
import { asset, favicon } from './routes/static.ts';

/**
 * The viewer as a Hono app: access rules as middleware, then one named handler per route.
 * It reads, except for the run controls (approve / cancel), which need a `control`.
 * Built from its dependencies only (no port, no process state), so tests can call
 * `app.request(…)` without a server.
 */

export interface UiAppOptions {
  /** What to show, only read: the JSONL store, or any `RunBrowser` (the PostgreSQL store). */
  store: UiStore;
  /** Loads the workflow a run used, for its chart and replays. */
  resolver: WorkflowResolver;
  /** Imports the planner module on first use of the planner panel. */
  planner: PlannerLoader;
  /** When set, every request must carry it; when not, only loopback Host names are answered. */
  token?: string;
  /** Approves, rejects and cancels runs for the page's buttons; without it the viewer only reads. */
  control?: RunControl;
  /** Receives unexpected errors (with the id the client was shown). Default: stderr. */
  onError?: UiErrorReporter;
}

/** Every response is live data about runs: never cached, never content-sniffed. */
const noStoreNoSniff = createMiddleware(async (c, next) => {
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
  await next();
});

/**
 * Builds the viewer app.
 *
 * @example
 * const app = createUiApp({ store, resolver: new WorkflowResolver(), planner: loadPlanner });
 * const res = await app.request('/api/runs', { headers: { host: '127.0.0.1' } });
 */
export function createUiApp(options: UiAppOptions): Hono<UiEnv> {
  const app = new Hono<UiEnv>();
  const view = storeView(options.store);
  const ui: UiDeps = { store: view.browser, label: view.label, files: view.files, resolver: options.resolver, planner: options.planner, readRun: createRunReader(view), control: options.control };

  app.use(nonErrorsAsErrors, noStoreNoSniff, allowedMethods);
  app.use(options.token === undefined ? loopbackHostOnly : requireToken(options.token));
  app.use(async (c, next) => {
    c.set('ui', ui);
    await next();
  });

  app.get('/', runListPage);
  app.get('/plan', planPage);
  app.get('/routing', routingPage);
  app.get('/runs/:runId', runPage);
  app.get('/api/meta', viewerMeta);
  app.get('/api/runs', runList);
  app.get('/api/runs/:runId', runSummary);
  app.get('/api/runs/:runId/events', runEvents);
  app.get('/api/runs/:runId/state', runState);
  app.get('/api/runs/:runId/timeline.svg', runTimelineSvg);
  app.get('/api/runs/:runId/chart.svg', runChartSvg);
  app.get('/api/runs/:runId/:view{[a-z.]+}', unknownRunView);
  // The only writes: POST only (`allowedMethods`), from the viewer's own page.
  app.post('/api/runs/:runId/approve', sameOriginJson, controlBodyLimit, approveStep);
  app.post('/api/runs/:runId/cancel', sameOriginJson, controlBodyLimit, cancelRun);
  app.get('/api/plan', planApi);
  app.get('/api/routing', routingApi);
  app.get('/assets/:name', asset);
  app.get('/favicon.ico', favicon);

  app.notFound((c) => respondWithHttpError(c, new HttpError(404, 'Not found', `Nothing is served at ${new URL(c.req.url).pathname}.`)));
  app.onError(handleErrors(options.onError ?? reportToStderr));
  return app;
}
