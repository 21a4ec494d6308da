import { buildTimeline, renderTimelineSvg } from '../../viz/timeline.ts';
import type { UiContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { isCancellable, runStarted, runStateAt, waitingApprovals } from '../run-state.ts';

/**
 * The JSON/SVG API the page reads: the store's run list and, per run, a summary, its events,
 * its state at an event, and its timeline and statechart as SVG (laid out here, so the page
 * needs no layout code).
 */

const SVG = { 'content-type': 'image/svg+xml; charset=utf-8' };

/** An integer query parameter (`| 0` truncates, and turns junk into 0). */
function intQuery(c: UiContext, name: string, fallback: number): number {
  return Number(c.req.query(name) ?? fallback) | 0;
}

/** The run named in the path, read (and cached) by the app's run reader. */
async function runOf(c: UiContext, runId: string) {
  return { runId, ...(await c.var.ui.readRun(runId)) };
}

/**
 * Whether an unfinished run is still going somewhere: its owner is alive. A run whose owner is
 * gone is `interrupted`, as the run list says, and its timeline stops at its last event instead
 * of growing with the clock.
 */
async function isLive(c: UiContext, runId: string, events: readonly { type: string }[]): Promise<boolean> {
  if (events[events.length - 1]?.type === 'run.finished') return false;
  return (await c.var.ui.store.holderOf(runId))?.alive === true;
}

/**
 * GET /api/meta — what the page needs to know about this viewer.
 *
 * @example
 * app.get('/api/meta', viewerMeta); // {"storeRoot":"/home/me/.orchestai","planner":true}
 */
export function viewerMeta(c: UiContext): Response {
  return c.json({ storeRoot: c.var.ui.label, planner: true, control: c.var.ui.control !== undefined });
}

/**
 * GET /api/runs?offset=&limit= — one page of the run list (limit 1..500), with how long the
 * store took, shown on the page.
 *
 * @example
 * app.get('/api/runs', runList); // {"runs":[…],"total":10000,"offset":0,"limit":50,"elapsedMs":3.1}
 */
export async function runList(c: UiContext): Promise<Response> {
  const offset = Math.max(0, intQuery(c, 'offset', 0));
  const limit = Math.min(500, Math.max(1, intQuery(c, 'limit', 50)));
  const t = performance.now();
  const page = await c.var.ui.store.listRuns({ offset, limit });
  return c.json({ ...page, offset, limit, elapsedMs: Math.round((performance.now() - t) * 10) / 10 });
}

/**
 * GET /api/runs/:runId — the run's header (workflow, input, whether it finished), where its
 * chart comes from (or why it cannot be drawn), its timeline, and what the page may offer to
 * do with it: `control` (whether this viewer can act on runs at all), the steps waiting for an
 * approval, and whether it can still be cancelled.
 *
 * @example
 * app.get('/api/runs/:runId', runSummary);
 */
export async function runSummary(c: UiContext<'/api/runs/:runId'>): Promise<Response> {
  const { runId, events, file } = await runOf(c, c.req.param('runId'));
  const first = runStarted(events);
  let chart: { from: string } | { error: string };
  try {
    chart = { from: (await c.var.ui.resolver.resolve(first.workflowId, first.source)).from };
  } catch (e: any) {
    chart = { error: String(e?.message ?? e) };
  }
  return c.json({
    runId,
    file,
    workflowId: first.workflowId,
    source: first.source,
    instruction: first.instruction,
    input: first.input,
    events: events.length,
    finished: events[events.length - 1].type === 'run.finished',
    chart,
    timeline: timelineOf(events, await isLive(c, runId, events)),
    control: c.var.ui.control !== undefined,
    waitingApprovals: waitingApprovals(events),
    cancellable: isCancellable(events),
  });
}

/** The timeline, with an unfinished run that no process holds marked `interrupted`. */
function timelineOf(events: Parameters<typeof buildTimeline>[0], live: boolean) {
  const timeline = buildTimeline(events);
  return timeline.finished || live ? timeline : { ...timeline, status: 'interrupted' as const };
}

/**
 * GET /api/runs/:runId/events?after=N — the events after the first N (the page polls a live run).
 *
 * @example
 * app.get('/api/runs/:runId/events', runEvents); // {"total":42,"events":[…]}
 */
export async function runEvents(c: UiContext<'/api/runs/:runId/events'>): Promise<Response> {
  const { events } = await runOf(c, c.req.param('runId'));
  const after = Math.max(0, intQuery(c, 'after', 0));
  return c.json({ total: events.length, events: events.slice(after) });
}

/**
 * GET /api/runs/:runId/state?seq=N — the state after event N (default: the last), with that event.
 *
 * @example
 * app.get('/api/runs/:runId/state', runState); // {"seq":12,"active":["fetch.waiting"],…}
 */
export async function runState(c: UiContext<'/api/runs/:runId/state'>): Promise<Response> {
  const { events } = await runOf(c, c.req.param('runId'));
  const seq = seqOf(c, events.length);
  return c.json({ ...(await runStateAt(c.var.ui.resolver, events, seq)), event: events[seq - 1] ?? null, total: events.length });
}

/**
 * GET /api/runs/:runId/timeline.svg?seq=N&width=W — the whole run, with a cursor at event N, W
 * pixels wide (the page asks for its box's width, so the SVG is shown at its natural size); a
 * run still going is drawn up to now.
 *
 * @example
 * app.get('/api/runs/:runId/timeline.svg', runTimelineSvg);
 */
export async function runTimelineSvg(c: UiContext<'/api/runs/:runId/timeline.svg'>): Promise<Response> {
  const { runId, events } = await runOf(c, c.req.param('runId'));
  const seq = seqOf(c, events.length);
  const highlightSeq = c.req.query('seq') === undefined || seq >= events.length ? undefined : seq;
  const width = c.req.query('width') === undefined ? undefined : Math.max(400, Math.min(4000, intQuery(c, 'width', 900)));
  const live = await isLive(c, runId, events);
  return c.body(renderTimelineSvg(events, { highlightSeq, width, ...(live ? { now: Date.now() } : { status: 'interrupted' as const }) }), 200, SVG);
}

/**
 * GET /api/runs/:runId/chart.svg — the statechart of the run's workflow (404 saying why when
 * the workflow cannot be loaded).
 *
 * @example
 * app.get('/api/runs/:runId/chart.svg', runChartSvg);
 */
export async function runChartSvg(c: UiContext<'/api/runs/:runId/chart.svg'>): Promise<Response> {
  const first = runStarted((await runOf(c, c.req.param('runId'))).events);
  let svg: string;
  try {
    svg = await c.var.ui.resolver.chartSvg(first.workflowId, first.source);
  } catch (e: any) {
    throw new HttpError(404, 'No chart', String(e?.message ?? e));
  }
  return c.body(svg, 200, SVG);
}

/**
 * GET /api/runs/:runId/:view — any other view: 404 naming it (after the run's own 404/422).
 *
 * @example
 * app.get('/api/runs/:runId/:view{[a-z.]+}', unknownRunView);
 */
export async function unknownRunView(c: UiContext<'/api/runs/:runId/:view{[a-z.]+}'>): Promise<Response> {
  await runOf(c, c.req.param('runId'));
  throw new HttpError(404, 'Not found', `no such view "${c.req.param('view')}"`);
}

/** `?seq=` clamped to 0..total; the last event when absent. */
function seqOf(c: UiContext, total: number): number {
  const seq = c.req.query('seq');
  return seq === undefined ? total : Math.max(0, Math.min(total, Number(seq) | 0));
}
