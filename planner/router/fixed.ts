import type { Router } from '../../machines/routing.ts';
import { decisionFor } from './decision.ts';

/**
 * Always the named worker; a step that does not offer it gets its first (default) candidate.
 *
 * @example
 * run(workflow, input, { router: fixed('gpt-4') })
 */
export function fixed(worker: string): Router {
  const id = `fixed:${worker}`;
  return {
    id, version: '1',
    route: (r) => decisionFor(r, Math.max(0, r.candidates.findIndex((c) => c.worker === worker)), id, '1'),
  };
}
