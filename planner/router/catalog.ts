import type { RouteRequest } from '../../machines/routing.ts';

/**
 * The capabilities and candidate workers a learned policy was trained on. A policy's action is an
 * index into a capability's list and its state has a one-hot of the capability, so the same file
 * against other candidates would silently mean something else: `checkRequest` refuses that.
 */
export interface RouterCatalog {
  /** Capability name -> its candidate workers, in the order the policy's outputs use. */
  capabilities: Record<string, string[]>;
}

/** A request names a capability or a candidate the policy was not trained on. */
export class CatalogMismatchError extends Error {
  override name = 'CatalogMismatchError';
}

/**
 * The catalog of a set of requests (or of steps seen in histories): capabilities in first-seen
 * order, each with its candidates in first-seen order.
 *
 * @example
 * catalogOf([{ capability: 'summarise', candidates: ['small', 'large'] }])
 */
export function catalogOf(items: Iterable<{ capability: string; candidates: readonly string[] }>): RouterCatalog {
  const capabilities: Record<string, string[]> = {};
  for (const { capability, candidates } of items) {
    const list = (capabilities[capability] ??= []);
    for (const w of candidates) if (!list.includes(w)) list.push(w);
  }
  return { capabilities };
}

/**
 * Capability names in the catalog's order (the one-hot's order).
 *
 * @example
 * capabilityNames({ capabilities: { summarise: ['a'], translate: ['b'] } }) // ['summarise', 'translate']
 */
export function capabilityNames(catalog: RouterCatalog): string[] {
  return Object.keys(catalog.capabilities);
}

/**
 * The largest number of candidates any capability has (the width of a policy's output).
 *
 * @example
 * maxCandidates({ capabilities: { a: ['x', 'y'], b: ['z'] } }) // 2
 */
export function maxCandidates(catalog: RouterCatalog): number {
  return Math.max(1, ...Object.values(catalog.capabilities).map((l) => l.length));
}

/**
 * Maps the request's candidates onto the catalog's slots for its capability, or throws one line
 * naming the step and the unknown capability or worker.
 *
 * @example
 * checkRequest(catalog, request, 'policy.json') // [1, 0]: request candidate i is catalog slot [i]
 */
export function checkRequest(catalog: RouterCatalog, request: RouteRequest, source: string): number[] {
  const known = catalog.capabilities[request.capability];
  const where = `${source}: step "${request.step}" of workflow "${request.workflowId}"`;
  if (!known) throw new CatalogMismatchError(`${where} has capability "${request.capability}", which the policy was not trained on (it knows ${capabilityNames(catalog).join(', ') || 'none'})`);
  return request.candidates.map((c) => {
    const slot = known.indexOf(c.worker);
    if (slot < 0) throw new CatalogMismatchError(`${where} offers candidate "${c.worker}" for "${request.capability}", which the policy was not trained on (it knows ${known.join(', ')})`);
    return slot;
  });
}

/**
 * Whether two catalogs are the same (capabilities and candidates in the same order).
 *
 * @example
 * sameCatalog(saved.catalog, catalogOf(steps)) // false after adding a candidate
 */
export function sameCatalog(a: RouterCatalog, b: RouterCatalog): boolean {
  return JSON.stringify(a.capabilities) === JSON.stringify(b.capabilities);
}
