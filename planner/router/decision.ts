import type { RouteDecision, RouteRequest } from '../../machines/routing.ts';

/**
 * A decision for candidate `index` of the request, with the probabilities the policy gave each
 * candidate (one-hot for a deterministic choice: still worth recording, since off-policy learning
 * needs to know the choice was certain).
 *
 * @example
 * decisionFor(request, 1, 'cheapest', '1') // { worker: request.candidates[1].worker, probabilities: [0, 1], ... }
 */
export function decisionFor(request: RouteRequest, index: number, policy: string, version: string, probabilities?: number[]): RouteDecision {
  const probs = probabilities ?? request.candidates.map((_, i) => (i === index ? 1 : 0));
  return { worker: request.candidates[index].worker, policy, version, probabilities: probs.map((p) => Number(p.toFixed(6))) };
}
