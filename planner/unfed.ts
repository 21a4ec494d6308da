import { extractSlots, type RunSlots } from './slots.ts';
import type { Catalog, Plan } from './types.ts';
import { keptNodes } from './renumber.ts';

/**
 * Steps of a plan that can never get their input. A planned run starts from what the request
 * carries (`planRunInput` builds its input from `extractSlots`: a document path, a CSV, a quoted
 * text, a brief, whatever the catalog), and each step reads the run input merged with its
 * dependencies' outputs. A step that gets none of its input types from either would fail at run
 * time: "figures from accounts/takings.csv" planned extract-figures, which reads a document's text,
 * beside the CSV's statistics. Only typed catalogs are judged.
 */

/** The input types a request itself can carry, and whether this one does. */
const REQUEST_CARRIES = new Map<string, (s: RunSlots) => boolean>([
  ['path', (s) => s.path !== undefined],
  ['csv', (s) => s.csvPath !== undefined || s.csv !== undefined],
  ['text', (s) => s.text !== undefined],
  ['markdown', (s) => s.markdown !== undefined],
  ['brief', () => true],
]);

/**
 * Whether a step with these input types gets one of them from the run input: a type the request
 * carries, or for a root step (`assumeGiven`) any type no tool produces and no slot reads, since the
 * run input may hold it. A step planned after others is not assumed fed that way: its producers
 * were meant to feed it, and only what the request demonstrably carries replaces them ("is this
 * rude? \"…\"" planned extract-text > sentiment: the quote is the text).
 */
function startable(inputs: readonly string[] | undefined, slots: RunSlots, produced: ReadonlySet<string>, assumeGiven: boolean): boolean {
  if (!inputs || inputs.length === 0) return assumeGiven;
  return inputs.some((t) => {
    const carried = REQUEST_CARRIES.get(t);
    return carried ? carried(slots) : assumeGiven && !produced.has(t);
  });
}

/**
 * The ids of the steps of `plan` that an input can reach: one of their producers is reached, or
 * the run input gives them one of their input types (see `startable`); a step whose producers are
 * all unreached but which the instruction feeds can start from it. `undefined` for an untyped plan,
 * which is not judged.
 *
 * @example
 * reachedSteps(plan, 'Bar chart of walking/miles.csv', catalog) // Set { 'n3', 'n4' }: not the read of a document
 */
export function reachedSteps(plan: Plan, instruction: string, catalog: Catalog): Set<string> | undefined {
  const tools = new Map(catalog.tools.map((t) => [t.name, t]));
  if (!plan.nodes.some((n) => tools.get(n.worker)?.inputType?.length)) return undefined;
  const slots = extractSlots(instruction);
  const produced = new Set(catalog.tools.flatMap((t) => t.outputType ?? []));
  const fed = new Set<string>();
  // Fed from the run input, or from a fed step: to a fixed point, whatever order the nodes are in.
  for (let grew = true; grew; ) {
    grew = false;
    for (const n of plan.nodes) {
      if (fed.has(n.id)) continue;
      const ok = n.dependsOn.some((d) => fed.has(d)) || startable(tools.get(n.worker)?.inputType, slots, produced, n.dependsOn.length === 0);
      if (ok) { fed.add(n.id); grew = true; }
    }
  }
  return fed;
}

/**
 * `plan` without the steps no input can reach (`fed`: `reachedSteps`), and their links. Left whole when
 * no step is reached: a plan that cannot start is still the best guess at what was asked, and
 * `finishPlan` says it cannot start rather than emptying it.
 *
 * @example
 * withoutUnfedSteps(plan, 'Bar chart of walking/miles.csv', catalog) // read-file > extract-text dropped: no document to read
 */
export function withoutUnfedSteps<P extends Plan>(plan: P, instruction: string, catalog: Catalog, fed = reachedSteps(plan, instruction, catalog)): P {
  if (!fed || fed.size === plan.nodes.length || fed.size === 0) return plan;
  return { ...plan, nodes: keptNodes(plan.nodes, (id) => fed.has(id)) };
}
