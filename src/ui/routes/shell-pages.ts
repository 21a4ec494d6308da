import type { UiContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { shellPage } from '../pages.ts';

/**
 * The HTML pages: each is the same shell that loads `app.js`, which draws the view the URL
 * names. The planner is always part of the package, so its panel is always offered.
 */

/**
 * GET / — the run list.
 *
 * @example
 * app.get('/', runListPage);
 */
export function runListPage(c: UiContext): Response {
  return c.html(shellPage({ storeRoot: c.var.ui.label, planner: true }));
}

/**
 * GET /plan — the planner panel.
 *
 * @example
 * app.get('/plan', planPage);
 */
export function planPage(c: UiContext): Response {
  return c.html(shellPage({ storeRoot: c.var.ui.label, planner: true }));
}

/**
 * GET /runs/:runId — one run. The history is read first, so an unknown run or a broken history
 * gets its 404/422 page from the server, before any script runs. A run queued in a shared store
 * (409: no hub has started it) gets the page, which says so and draws the run once it starts.
 *
 * @example
 * app.get('/runs/:runId', runPage);
 */
export async function runPage(c: UiContext<'/runs/:runId'>): Promise<Response> {
  const runId = c.req.param('runId');
  await c.var.ui.readRun(runId).catch((e) => {
    if (!(e instanceof HttpError && e.status === 409)) throw e;
  });
  return c.html(shellPage({ storeRoot: c.var.ui.label, runId, planner: true }));
}
