import type { Context } from 'hono';
import { RUN_STATUSES, type RunStatus } from '../history/store.ts';
import { WorkflowNotFoundError } from '../project/resolve.ts';
import { HttpError } from '../ui/errors.ts';
import type { ApiApp, ApiDeps } from './api-deps.ts';
import type { ServerEnv } from './auth.ts';
import * as r from './routes.ts';
import { resumeAfter, streamRunEvents } from './sse.ts';

/** Errors of loading the project's workflows, whose message says what to fix. */
const LOAD_ERRORS = new Set(['ProjectConfigError', 'ModuleLoadError', 'WorkflowFileError']);

/**
 * The run routes: list (filters, paging), start, one run, and its events (SSE or JSON). One run
 * and the JSON events are the viewer's own handlers, which its pages read.
 *
 * @example
 * registerRunRoutes(app, deps); // GET/POST /api/runs, GET /api/runs/{runId}, GET /api/runs/{runId}/events
 */
export function registerRunRoutes(app: ApiApp, deps: ApiDeps): void {
  const { store, launcher } = deps;

  app.openapi(r.listRunsRoute, async (c) => {
    const q = c.req.valid('query');
    const t = performance.now();
    const page = await store.listRuns({ offset: q.offset, limit: q.limit, status: statusesOf(q.status), workflowId: q.workflow, since: instantOf(q.since, 'since'), before: instantOf(q.before, 'before') });
    return c.json({ ...page, offset: q.offset, limit: q.limit, elapsedMs: Math.round((performance.now() - t) * 10) / 10 } as any, 200);
  });

  app.openapi(r.startRunRoute, async (c) => {
    const { workflow, input, priority } = c.req.valid('json');
    try {
      return c.json(await launcher.launch(workflow, input as any, priority), 202);
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new HttpError(404, 'not found', e.message);
      // The project config or a workflow module fails to load: the operator's to fix, so say what.
      if (e instanceof Error && LOAD_ERRORS.has(e.name)) throw new HttpError(422, 'cannot load workflow', e.message);
      throw e;
    }
  });

  app.openapi(r.getRunRoute, ((c: Context) => deps.toViewer(c)) as any);

  app.openapi(r.runEventsRoute, (async (c: Context<ServerEnv>) => {
    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) return deps.toViewer(c);
    const runId = c.req.param('runId')!;
    if (!launcher.isQueued(runId)) await existingRun(deps, runId);
    const after = resumeAfter(c.req.query('after'), c.req.header('last-event-id'));
    return streamRunEvents(c, store, runId, after, { pollMs: deps.ssePollMs, isPending: (id) => launcher.isQueued(id) });
  }) as any);
}

/**
 * The run id when it has a history; a 409 for a run still queued here, a 404 for no run.
 *
 * @example
 * const runId = await existingRun(deps, c.req.valid('param').runId);
 */
export async function existingRun(deps: Pick<ApiDeps, 'store' | 'launcher'>, runId: string): Promise<string> {
  if (deps.launcher.isQueued(runId)) throw new HttpError(409, 'queued', `run ${runId} waits for a run slot of this server; it has no history yet`);
  if (!(await deps.store.exists(runId))) throw new HttpError(404, 'not found', `there is no run ${JSON.stringify(runId)} in ${deps.store.location}`);
  return runId;
}

/** `?status=running,failed` as statuses (400 naming an unknown one). */
function statusesOf(raw: string | undefined): RunStatus[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.find((x) => !RUN_STATUSES.includes(x as RunStatus));
  if (bad) throw new HttpError(400, 'bad request', `status: unknown status ${JSON.stringify(bad)}; one of ${RUN_STATUSES.join(', ')}`);
  return list as RunStatus[];
}

/** `?since=` / `?before=`: epoch milliseconds or a date `Date.parse` reads (400 otherwise). */
function instantOf(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(t)) throw new HttpError(400, 'bad request', `${field}: not a date or epoch milliseconds: ${JSON.stringify(raw)}`);
  return t;
}
