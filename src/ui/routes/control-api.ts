import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { RunControl, UiContext } from '../context.ts';
import { HttpError } from '../errors.ts';

/**
 * The viewer's two writes, behind the Approve / Reject / Cancel buttons of a run page: each
 * checks the request, then hands it to the app's `RunControl`, which does the work. The
 * routes only take POST, from the viewer's own page (see `allowedMethods` and `sameOriginJson`
 * in `access.ts`). Without a control they answer 501; a refusal the control throws (say, the
 * step is not waiting for approval) is a 409 carrying its message, which is written for users.
 */

/** Who acted when the request does not say: the viewer has no accounts. */
export const DEFAULT_ACTOR = 'viewer';

const ApproveBody = z.strictObject({
  step: z.string().min(1, 'step names no step'),
  approved: z.boolean(),
  by: z.string().min(1).max(200).optional(),
  comment: z.string().max(2000).optional(),
});

const CancelBody = z.strictObject({
  reason: z.string().max(2000).optional(),
  by: z.string().min(1).max(200).optional(),
});

/** Bodies are a few fields; anything larger is refused before it is read. */
export const controlBodyLimit = bodyLimit({
  maxSize: 16 * 1024,
  onError: (c) => c.json({ error: 'the request body is larger than 16 KiB' }, 413),
});

/**
 * POST /api/runs/:runId/approve `{ step, approved, by?, comment? }` — approves or rejects a
 * step waiting for approval.
 *
 * @example
 * app.post('/api/runs/:runId/approve', sameOriginJson, controlBodyLimit, approveStep);
 * // {"runId":"…","step":"publish","approved":true,"by":"viewer","delivered":"live"}
 */
export async function approveStep(c: UiContext<'/api/runs/:runId/approve'>): Promise<Response> {
  const control = controlOf(c);
  const runId = c.req.param('runId');
  await c.var.ui.readRun(runId); // 404 / 422 before anything is asked of the control
  const body = await bodyOf(c, ApproveBody);
  const decision = { approved: body.approved, by: body.by ?? DEFAULT_ACTOR, ...(body.comment ? { comment: body.comment } : {}) };
  const { delivered } = await ask(body.approved ? 'Cannot approve' : 'Cannot reject', () => control.approve(runId, body.step, decision));
  return c.json({ runId, step: body.step, approved: body.approved, by: decision.by, delivered });
}

/**
 * POST /api/runs/:runId/cancel `{ reason?, by? }` — cancels a run.
 *
 * @example
 * app.post('/api/runs/:runId/cancel', sameOriginJson, controlBodyLimit, cancelRun);
 * // {"runId":"…","by":"viewer","delivered":"queued"}
 */
export async function cancelRun(c: UiContext<'/api/runs/:runId/cancel'>): Promise<Response> {
  const control = controlOf(c);
  const runId = c.req.param('runId');
  await c.var.ui.readRun(runId);
  const body = await bodyOf(c, CancelBody);
  const request = { by: body.by ?? DEFAULT_ACTOR, ...(body.reason ? { reason: body.reason } : {}) };
  const { delivered } = await ask('Cannot cancel', () => control.cancel(runId, request));
  return c.json({ runId, by: request.by, delivered });
}

function controlOf(c: UiContext): RunControl {
  const control = c.var.ui.control;
  if (!control) throw new HttpError(501, 'Read-only viewer', 'this viewer was started without a run control, so it cannot approve or cancel runs');
  return control;
}

async function bodyOf<T>(c: UiContext, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new HttpError(400, 'Bad request', 'the request body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, 'Bad request', `${where}${issue.message}`);
  }
  return parsed.data;
}

/**
 * Calls the control. What it throws is a refusal meant for the user (409 with its message);
 * what it returns must say how the request was delivered, or it is a bug (500, logged).
 */
async function ask(title: string, call: () => Promise<{ delivered: 'live' | 'queued' }>): Promise<{ delivered: 'live' | 'queued' }> {
  let result: { delivered?: unknown } | undefined;
  try {
    result = await call();
  } catch (e) {
    if (e instanceof HttpError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new HttpError(409, title, message || 'the run control refused without saying why');
  }
  if (result?.delivered !== 'live' && result?.delivered !== 'queued') {
    throw new Error(`the run control answered ${JSON.stringify(result)}, not { delivered: 'live' | 'queued' }`);
  }
  return { delivered: result.delivered };
}
