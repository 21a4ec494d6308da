import type { Router } from '../../machines/routing.ts';
import { decisionFor } from './decision.ts';
import { seededRandom } from './rng.ts';

/**
 * A uniformly random candidate from a seeded generator: the baseline every learned policy must
 * beat, and a logging policy whose recorded probabilities make off-policy estimates exact.
 *
 * @example
 * run(workflow, input, { router: random(42) })
 */
export function random(seed: number): Router {
  const rnd = seededRandom(seed);
  return {
    id: 'random', version: String(seed),
    route: (r) => {
      const n = r.candidates.length;
      return decisionFor(r, Math.min(n - 1, Math.floor(rnd() * n)), 'random', String(seed), r.candidates.map(() => 1 / n));
    },
  };
}
