import type { NormalStep } from '../../machines/definition.ts';
import type { RouteCandidate, RouteDecision, RouteRequest, Router } from '../../machines/routing.ts';
import type { EventOf } from '../../machines/history/events.ts';
import { cascade } from '../../planner/router/cascade.ts';

/**
 * What the hub records of a router's answer: the decision, or why there is none (the router
 * threw). Environments return this from `route`, so a failed router is a recorded fact that replay
 * reproduces rather than an exception.
 */
export type RecordedDecision = RouteDecision & { error?: string };

/**
 * The router of a run that names none: the cascade (cheapest first by declared price, ties in the
 * step's order, then the next candidate at each failed attempt). `npm run bench:router` found it
 * the best reward of all policies, the learned PPO included (see README, Routing), so the issue's
 * rule applies: the better one is the default.
 */
export const DEFAULT_ROUTER: Router = Object.freeze(cascade());

const candidateCache = new WeakMap<NormalStep, readonly RouteCandidate[]>();

/**
 * A routed step's candidates as a router sees them (name, declared price and latency), computed
 * once per step definition.
 *
 * @example
 * routeCandidates(step) // [{ worker: 'small', price: { perCall: 0.001 } }, { worker: 'large', latencyMs: 900 }]
 */
export function routeCandidates(step: NormalStep): readonly RouteCandidate[] {
  let c = candidateCache.get(step);
  if (!c) {
    c = Object.freeze(
      (step.candidates ?? []).map((w) => Object.freeze({ worker: w.name, ...(w.price ? { price: w.price } : {}), ...(w.latencyMs !== undefined ? { latencyMs: w.latencyMs } : {}) })),
    );
    candidateCache.set(step, c);
  }
  return c;
}

/**
 * Asks a router, turning a throw into a decision that carries the error (recorded, then the
 * attempt fails with a RouteError). Only the fields of the contract are kept, so what a policy
 * returns besides them never reaches the history.
 *
 * @example
 * askRouter(router, request) // { worker: 'large', policy: 'cascade', version: '1' }
 */
export function askRouter(router: Router, request: RouteRequest): RecordedDecision {
  try {
    const d = router.route(request);
    return {
      worker: typeof d?.worker === 'string' ? d.worker : String(d?.worker),
      policy: typeof d?.policy === 'string' ? d.policy : router.id,
      version: typeof d?.version === 'string' ? d.version : router.version,
      ...(Array.isArray(d?.probabilities) ? { probabilities: d.probabilities.map(Number) } : {}),
    };
  } catch (e) {
    return { worker: '', policy: router.id, version: router.version, error: `router ${router.id}@${router.version} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Why a recorded decision cannot run, or undefined when it names one of the candidates.
 *
 * @example
 * decisionProblem({ worker: 'huge', policy: 'p', version: '1' }, ['small', 'large'])
 * // 'router p@1 chose worker "huge", which is not a candidate (small, large)'
 */
export function decisionProblem(decision: RecordedDecision | EventOf<'route.decided'>, candidates: readonly string[]): string | undefined {
  if (decision.error !== undefined) return decision.error;
  if (candidates.includes(decision.worker)) return undefined;
  return `router ${decision.policy}@${decision.version} chose worker ${JSON.stringify(decision.worker)}, which is not a candidate (${candidates.join(', ')})`;
}
