import { renderRoutingBarsSvg, renderRoutingChoicesSvg } from '../../viz/routing-chart.ts';
import type { UiContext } from '../context.ts';
import { shellPage } from '../pages.ts';
import { routingReport } from '../routing.ts';

/**
 * The routing view: what each candidate worker of a capability achieved in the recorded runs,
 * and which one the policy chose over time (`route.decided` events joined with their attempts'
 * outcomes; see `../routing.ts`).
 */

/** A number from the query, or undefined when absent or not a number. */
function numberQuery(c: UiContext, name: string): number | undefined {
  const raw = c.req.query(name);
  const v = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * GET /api/routing?workflow=<id>&limit=N&charts=1&width=W — per workflow and capability, each
 * candidate's attempts, success rate, mean cost and p50/p90 latency, the policy versions and every
 * choice, over the newest N runs (default 500, at most 5000; `runs.truncated` says whether older
 * runs were left unread). With `charts=1`, each capability also carries its bar and strip charts
 * as SVG, `width` pixels wide (the page asks for its box's width).
 *
 * @example
 * app.get('/api/routing', routingApi); // {"limit":500,"runs":{"read":80,"routed":80,…},"capabilities":[…],"note":"Read all 80 runs: …"}
 */
export async function routingApi(c: UiContext): Promise<Response> {
  const t = performance.now();
  const workflow = c.req.query('workflow')?.trim() || undefined;
  const report = await routingReport(c.var.ui, { workflow, limit: numberQuery(c, 'limit') });
  const elapsedMs = Math.round((performance.now() - t) * 10) / 10;
  if (c.req.query('charts') !== '1') return c.json({ ...report, elapsedMs });
  const width = Math.max(600, Math.min(4000, numberQuery(c, 'width') ?? 900));
  const capabilities = report.capabilities.map((cap) => ({ ...cap, svg: { bars: renderRoutingBarsSvg(cap, { width }), choices: renderRoutingChoicesSvg(cap, { width }) } }));
  return c.json({ ...report, capabilities, elapsedMs });
}

/**
 * GET /routing — the routing page (the shell; `app.js` draws it from `/api/routing`).
 *
 * @example
 * app.get('/routing', routingPage);
 */
export function routingPage(c: UiContext): Response {
  return c.html(shellPage({ storeRoot: c.var.ui.label, planner: true }));
}
