import type { UiContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { planView } from '../plan.ts';

/**
 * GET /api/plan?instruction=… — the planner panel: the instruction planned as `orchestai plan`
 * does, drawn as a DAG next to its statechart. A refusal, a missing model or a bad instruction
 * is the planner's own one-line message (422); failing to load the planner is a server error.
 *
 * @example
 * app.get('/api/plan', planApi); // {"instruction":"…","plan":{…},"dagSvg":"<svg…","chartSvg":"<svg…"}
 */
export async function planApi(c: UiContext): Promise<Response> {
  const instruction = c.req.query('instruction') ?? '';
  if (!instruction.trim()) throw new HttpError(400, 'No instruction', 'pass ?instruction=…');
  const planner = await c.var.ui.planner();
  try {
    return c.json(await planView(planner, instruction));
  } catch (e: any) {
    throw new HttpError(422, 'Cannot plan this instruction', String(e?.message ?? e));
  }
}
