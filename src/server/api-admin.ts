import type { Context } from 'hono';
import type { RunStatus } from '../history/store.ts';
import { HttpError } from '../ui/errors.ts';
import type { ApiApp, ApiDeps } from './api-deps.ts';
import * as r from './routes.ts';

/** What prune deletes unless told otherwise: runs that ended. */
const FINISHED: RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * The admin routes (tokens, prune) and the metrics.
 *
 * @example
 * registerAdminRoutes(app, deps); // GET/POST /api/tokens, DELETE /api/tokens/{id}, POST /api/prune, GET /metrics
 */
export function registerAdminRoutes(app: ApiApp, deps: ApiDeps): void {
  const { tokens, store, metrics } = deps;

  app.openapi(r.listTokensRoute, (c) => c.json({ tokens: tokens.list() }, 200));
  app.openapi(r.createTokenRoute, (c) => {
    const { role, name } = c.req.valid('json');
    return c.json(tokens.create(role, name), 201);
  });
  app.openapi(r.revokeTokenRoute, (c) => {
    const { id } = c.req.valid('param');
    if (!tokens.revoke(id)) throw new HttpError(404, 'not found', `there is no token ${JSON.stringify(id)}`);
    return c.json({ revoked: id }, 200);
  });

  // As `orchestai prune`: a run a live process (or hub) holds is never deleted, whichever the store.
  app.openapi(r.pruneRoute, async (c) => {
    const b = c.req.valid('json');
    const { runs } = await store.listRuns({ status: b.status ?? FINISHED, before: Date.now() - b.olderThanMs, limit: Number.MAX_SAFE_INTEGER });
    const doomed = runs.filter((run) => !run.owner?.alive);
    const deleted: string[] = [];
    const failed: { runId: string; message: string }[] = [];
    for (const run of doomed) {
      try {
        if (!b.dryRun) await store.delete(run.runId);
        deleted.push(run.runId);
      } catch (e: any) {
        failed.push({ runId: run.runId, message: String(e?.message ?? e) });
      }
    }
    return c.json({ deleted, failed, dryRun: b.dryRun }, 200);
  });

  app.openapi(r.metricsRoute, (async (c: Context) => c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType })) as any);
}
