import type { Router } from '../../machines/routing.ts';
import { decisionFor } from './decision.ts';
import { byPrice } from './price.ts';
import { successRate, type CandidateStats } from './stats.ts';

/**
 * The candidate with the best observed (smoothed) success rate for the step's capability; ties go
 * to the cheaper one. `stats` come from `candidateStats(episodesOf(histories))`.
 *
 * @example
 * run(workflow, input, { router: mostAccurate(candidateStats(episodes)) })
 */
export function mostAccurate(stats: CandidateStats): Router {
  return {
    id: 'most-accurate', version: '1',
    route: (r) => {
      const rates = r.candidates.map((c) => successRate(stats[r.capability]?.[c.worker]));
      const order = byPrice(r.candidates, r.input);
      const best = order.reduce((b, i) => (rates[i] > rates[b] ? i : b), order[0]);
      return decisionFor(r, best, 'most-accurate', '1');
    },
  };
}
