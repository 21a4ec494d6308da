import { toDirectedGraph } from '@xstate/graph';
import type { AnyStateMachine } from 'xstate';
import type { Problem } from './problems.ts';

/** Guards that bound how often their transition can be taken, so a cycle through them terminates. */
const BOUNDING_GUARDS = new Set(['canRetry']);

type Node = { id: string; stateNode: any; children: Node[]; edges: { source: any; target: any; transition: any }[] };

/**
 * Checks a compiled machine with XState's graph utilities:
 * every state can reach a top-level final state, and every cycle passes through a
 * bounded transition (a retry guard or a branch with `maxTimes`), so no run loops forever.
 *
 * @example
 * checkMachine(compiled.machine) // [] when sound
 */
export function checkMachine(machine: AnyStateMachine): Problem[] {
  const root = toDirectedGraph(machine) as unknown as Node;
  const all: Node[] = [];
  const walk = (n: Node) => {
    all.push(n);
    n.children.forEach(walk);
  };
  walk(root);

  // Edges of the "can lead to" relation, each marked bounded or not.
  const out = new Map<string, { to: string; bounded: boolean }[]>();
  const add = (from: string, to: string, bounded = false) => {
    if (!out.has(from)) out.set(from, []);
    out.get(from)!.push({ to, bounded });
  };
  for (const n of all) {
    const sn = n.stateNode;
    for (const e of n.edges) add(e.source.id, e.target.id, isBounded(e.transition));
    for (const t of sn.always ?? []) for (const target of t.target ?? []) add(sn.id, target.id, isBounded(t));
    // Entering a compound state enters its initial child; a parallel state enters every region.
    if (sn.type === 'compound' && sn.initial?.target) for (const t of sn.initial.target) add(sn.id, t.id);
    if (sn.type === 'parallel') for (const c of Object.values<any>(sn.states)) add(sn.id, c.id);
    // A final child completes its parent, whose onDone edge then applies; descendants inherit ancestors' transitions.
    if (sn.parent && sn.parent !== machine.root) add(sn.id, sn.parent.id, true);
  }

  const problems: Problem[] = [];
  const finals = all.filter((n) => n.stateNode.type === 'final' && n.stateNode.parent === machine.root).map((n) => n.stateNode.id);
  const reaches = new Set<string>(finals);
  const incoming = new Map<string, string[]>();
  for (const [from, edges] of out) for (const e of edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), from]);
  const queue = [...finals];
  while (queue.length) {
    for (const prev of incoming.get(queue.pop()!) ?? []) if (!reaches.has(prev)) (reaches.add(prev), queue.push(prev));
  }
  for (const n of all) {
    if (n.stateNode === machine.root) continue;
    if (!reaches.has(n.stateNode.id)) problems.push({ step: stepOf(n.stateNode), message: `state "${n.stateNode.id}" cannot reach a final state` });
  }

  const cycle = findUnboundedCycle(all.map((n) => n.stateNode.id), out);
  if (cycle) problems.push({ step: stepOf(machine.getStateNodeById(cycle[0])), message: `can loop forever: ${cycle.join(' -> ')} has no bounded transition (add maxTimes to a branch on it)` });
  return problems;
}

function isBounded(transition: any): boolean {
  const guard = transition?.guard;
  if (!guard) return false;
  const type = typeof guard === 'string' ? guard : guard.type;
  return BOUNDING_GUARDS.has(type) || (type === 'branch' && guard.params?.maxTimes !== undefined);
}

function stepOf(stateNode: any): string | undefined {
  let n = stateNode;
  while (n?.parent?.parent) n = n.parent;
  return n?.key;
}

/** Depth-first search for a cycle that uses only unbounded edges (child-to-parent completion edges count as bounded). */
function findUnboundedCycle(ids: string[], out: Map<string, { to: string; bounded: boolean }[]>): string[] | null {
  const colour = new Map<string, 0 | 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    colour.set(id, 1);
    stack.push(id);
    for (const e of out.get(id) ?? []) {
      if (e.bounded) continue;
      const c = colour.get(e.to) ?? 0;
      if (c === 1) return [...stack.slice(stack.indexOf(e.to)), e.to];
      if (c === 0) {
        const found = visit(e.to);
        if (found) return found;
      }
    }
    stack.pop();
    colour.set(id, 2);
    return null;
  };
  for (const id of ids) if ((colour.get(id) ?? 0) === 0) {
    const found = visit(id);
    if (found) return found;
  }
  return null;
}
