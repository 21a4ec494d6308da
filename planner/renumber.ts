import type { PlanNode } from './types.ts';

/**
 * Nodes named n1, n2, … again after some were dropped, so a plan shown or recorded has no gap; ids
 * of another form are kept.
 *
 * @example
 * renumbered([{ id: 'n2', worker: 'a', dependsOn: [] }, { id: 'n4', worker: 'b', dependsOn: ['n2'] }]) // ids n1, n2; b depends on n1
 */
export function renumbered(nodes: PlanNode[]): PlanNode[] {
  if (!nodes.every((n) => /^n\d+$/.test(n.id))) return nodes;
  const id = new Map(nodes.map((n, i) => [n.id, `n${i + 1}`]));
  return nodes.map((n) => ({ ...n, id: id.get(n.id)!, dependsOn: n.dependsOn.map((d) => id.get(d) ?? d) }));
}
