import type { PlanNode } from './types.ts';

/**
 * The steps a plan ends in: those no other step depends on (its products).
 *
 * @example
 * endSteps([{ id: 'n1', worker: 'a', dependsOn: [] }, { id: 'n2', worker: 'b', dependsOn: ['n1'] }]) // [the 'b' node]
 */
export function endSteps(nodes: readonly PlanNode[]): PlanNode[] {
  const fed = new Set(nodes.flatMap((n) => n.dependsOn));
  return nodes.filter((n) => !fed.has(n.id));
}

/**
 * The nodes `keep` keeps, without their links to the others, named n1, n2, … again so a plan
 * shown or recorded has no gap (ids of another form are kept). Declined and unreachable steps
 * leave a plan this way.
 *
 * @example
 * keptNodes([{ id: 'n1', worker: 'a', dependsOn: [] }, { id: 'n2', worker: 'b', dependsOn: [] }, { id: 'n3', worker: 'c', dependsOn: ['n1', 'n2'] }], (id) => id !== 'n1')
 * // [{ id: 'n1', worker: 'b', dependsOn: [] }, { id: 'n2', worker: 'c', dependsOn: ['n1'] }]
 */
export function keptNodes(nodes: readonly PlanNode[], keep: (id: string) => boolean): PlanNode[] {
  const kept = nodes.filter((n) => keep(n.id)).map((n) => (n.dependsOn.every(keep) ? n : { ...n, dependsOn: n.dependsOn.filter(keep) }));
  if (!kept.every((n) => /^n\d+$/.test(n.id))) return kept;
  const id = new Map(kept.map((n, i) => [n.id, `n${i + 1}`]));
  return kept.map((n) => ({ ...n, id: id.get(n.id)!, dependsOn: n.dependsOn.map((d) => id.get(d) ?? d) }));
}
