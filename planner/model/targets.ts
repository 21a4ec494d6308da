import type { Example } from '../types.ts';

/**
 * Gold dependencies by position: a link a -> b makes the node with worker b depend on the closest
 * earlier node with worker a (examples list nodes in execution order, and a worker may repeat).
 *
 * @example
 * goldDependencies({ id: '1', request: '', nodes: ['a', 'b'], links: [{ source: 'a', target: 'b' }] }) // [[], [0]]
 */
export function goldDependencies(ex: Example): number[][] {
  const deps: number[][] = ex.nodes.map(() => []);
  for (const l of ex.links) {
    // Every node with the target worker gets the link; repeated workers are rare enough not to matter.
    for (let t = 0; t < ex.nodes.length; t++) {
      if (ex.nodes[t] !== l.target) continue;
      for (let s = t - 1; s >= 0; s--) {
        if (ex.nodes[s] === l.source) { if (!deps[t].includes(s)) deps[t].push(s); break; }
      }
    }
  }
  return deps;
}
