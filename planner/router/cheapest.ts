import type { Router } from '../../machines/routing.ts';
import { decisionFor } from './decision.ts';
import { byPrice } from './price.ts';

/**
 * The candidate with the lowest declared expected cost for this input (ties: the step's order).
 *
 * @example
 * run(workflow, input, { router: cheapest() })
 */
export function cheapest(): Router {
  return { id: 'cheapest', version: '1', route: (r) => decisionFor(r, byPrice(r.candidates, r.input)[0], 'cheapest', '1') };
}
