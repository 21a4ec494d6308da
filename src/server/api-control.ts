import { planNotes } from '../../planner/notes.ts';
import type { Context } from 'hono';
import { ControlError } from '../operations/control.ts';
import { HttpError } from '../ui/errors.ts';
import { existingRun } from './api-runs.ts';
import type { ApiApp, ApiDeps } from './api-deps.ts';
import type { ServerEnv } from './auth.ts';
import * as r from './routes.ts';

/**
 * The routes that act on runs (approve, reject, cancel) and plan. They go through the same
 * checks and control channel as `orchestai approve` / `cancel`, so a run started by this server
 * or by any other process is reached the same way.
 *
 * @example
 * registerControlRoutes(app, deps); // POST /api/runs/{runId}/approve|reject|cancel, POST /api/plan
 */
export function registerControlRoutes(app: ApiApp, deps: ApiDeps): void {
  const { control } = deps;

  app.openapi(r.approveRoute, async (c) => {
    const runId = await existingRun(deps, c.req.valid('param').runId);
    const b = c.req.valid('json');
    const by = actor(c, b.by);
    const { delivered } = await controlled(() => control.approve(runId, b.step, { approved: b.approved, by, ...(b.comment ? { comment: b.comment } : {}) }));
    return c.json({ runId, step: b.step, approved: b.approved, by, delivered }, 200);
  });

  app.openapi(r.rejectRoute, async (c) => {
    const runId = await existingRun(deps, c.req.valid('param').runId);
    const b = c.req.valid('json');
    const by = actor(c, b.by);
    const { delivered } = await controlled(() => control.approve(runId, b.step, { approved: false, by, ...(b.comment ? { comment: b.comment } : {}) }));
    return c.json({ runId, step: b.step, approved: false, by, delivered }, 200);
  });

  app.openapi(r.cancelRoute, async (c) => {
    const runId = await existingRun(deps, c.req.valid('param').runId);
    const b = c.req.valid('json');
    const by = actor(c, b.by);
    const { delivered } = await controlled(() => control.cancel(runId, { by, ...(b.reason ? { reason: b.reason } : {}) }));
    return c.json({ runId, by, delivered }, 200);
  });

  app.openapi(r.planRoute, async (c) => {
    const { instruction } = c.req.valid('json');
    const planner: Record<string, any> = await deps.planner();
    try {
      const result = await planner.planWithDetails(instruction, { env: process.env });
      return c.json({ instruction, plan: result.plan, fallback: result.outcome, ...planNotes(result) }, 200);
    } catch (e: any) {
      throw new HttpError(422, 'cannot plan', String(e?.message ?? e));
    }
  });
}

/** Who acted, as the history records it: always the token, so a client cannot pass as someone else. */
function actor(c: Context<ServerEnv>, by: string | undefined): string {
  const token = `token ${c.var.principal.name ?? c.var.principal.id}`;
  return by ? `${by} (${token})` : token;
}

/** A control refusal (the step is not waiting, the run finished) is a 409 with its message. */
async function controlled<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ControlError) throw new HttpError(409, 'conflict', e.message);
    throw e;
  }
}
