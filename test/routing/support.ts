import { z } from 'zod';
import { defineWorker, type AnyWorker, type RouteDecision, type RouteRequest, type Router } from '../../src/index.ts';

/**
 * Workers and routers for the routing tests. Each worker names itself in its output, so a test
 * can tell which candidate ran; `script` maps `<step>#<attempt>` to what that attempt does.
 */
export type Script = Record<string, 'fail' | 'hang' | `sleep:${number}`>;

/**
 * A candidate worker that answers `{ by: name, text }` and logs its calls as `name:step#attempt`.
 *
 * @example
 * const small = candidate('small', calls, { 'summarise#1': 'fail' });
 */
export function candidate(name: string, calls: string[] = [], script: Script = {}, extra: { price?: AnyWorker['price']; latencyMs?: number; maxAttempts?: number } = {}): AnyWorker {
  return defineWorker({
    name,
    description: `Candidate ${name}: echoes its text, signed.`,
    input: z.any(),
    output: z.object({ by: z.string(), text: z.string() }),
    retry: { maxAttempts: extra.maxAttempts ?? 1, initialDelayMs: 100 },
    ...(extra.price ? { price: extra.price } : {}),
    ...(extra.latencyMs !== undefined ? { latencyMs: extra.latencyMs } : {}),
    async run(input: any, ctx) {
      calls.push(`${name}:${ctx.step}#${ctx.attempt}`);
      const action = script[`${ctx.step}#${ctx.attempt}`];
      if (action === 'fail') throw new Error(`${name} could not do ${ctx.step}`);
      if (action === 'hang') await ctx.sleep(1e9);
      if (action?.startsWith('sleep:')) await ctx.sleep(Number(action.slice(6)));
      return { by: name, text: String(input?.text ?? '') };
    },
  });
}

/**
 * A router that always picks the candidate at `index`, counts its calls and keeps the requests.
 *
 * @example
 * const r = fixedRouter(1); await run(wf, input, { router: r }); r.requests.length // 1
 */
export function fixedRouter(index: number, id = 'fixed'): Router & { requests: RouteRequest[] } {
  const requests: RouteRequest[] = [];
  return {
    id,
    version: '7',
    requests,
    route(request): RouteDecision {
      requests.push(request);
      const probabilities = request.candidates.map((_, i) => (i === index ? 0.75 : 0.25 / (request.candidates.length - 1)));
      return { worker: request.candidates[index].worker, policy: id, version: '7', probabilities };
    },
  };
}

/**
 * A cascade: the first candidate that has not failed this step yet (cheap first, escalate on failure).
 *
 * @example
 * cascadeRouter().route({ ...request, failedWorkers: ['small'] }).worker // 'large'
 */
export function cascadeRouter(): Router & { requests: RouteRequest[] } {
  const requests: RouteRequest[] = [];
  return {
    id: 'cascade',
    version: '1',
    requests,
    route(request) {
      requests.push(request);
      const next = request.candidates.find((c) => !request.failedWorkers.includes(c.worker)) ?? request.candidates[request.candidates.length - 1];
      return { worker: next.worker, policy: 'cascade', version: '1' };
    },
  };
}
