import type { Router } from '../../machines/routing.ts';
import { decisionFor } from './decision.ts';
import { byPrice } from './price.ts';

/**
 * Cheapest first, and at each new attempt of the same step the next dearer candidate that has not
 * failed it yet (`request.failedWorkers`); once all failed, the dearest again. The escalation
 * itself is the chart's: a failed attempt takes the step's retry (or failure) transition and the
 * next attempt asks the router again, so give cascaded steps `retry.maxAttempts` >= candidates.
 *
 * @example
 * defineWorkflow({ id: 'qa', steps: [{ id: 'answer', candidates: [small, large], retry: { maxAttempts: 2 } }] })
 * run(qa, input, { router: cascade() })
 */
export function cascade(): Router {
  return {
    id: 'cascade', version: '1',
    route: (r) => {
      const order = byPrice(r.candidates, r.input);
      const next = order.find((i) => !r.failedWorkers.includes(r.candidates[i].worker));
      return decisionFor(r, next ?? order[order.length - 1], 'cascade', '1');
    },
  };
}
