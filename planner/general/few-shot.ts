import { scorePlans } from '../metrics.ts';
import type { Catalog, Example } from '../types.ts';
import { catalogView } from './catalog-view.ts';
import { ExampleMemory, rememberExamples, type MemorySettings } from './examples.ts';
import type { GeneralModel } from './model.ts';
import { planOver } from './planner.ts';

/** Settings tried, weakest first (ties keep the weaker). */
const GRID: MemorySettings[] = [];
for (const weight of [0, 4, 8, 16]) for (const neighbours of [1, 3]) for (const orderWeight of [0, 4]) GRID.push({ weight, neighbours, orderWeight });

/**
 * Adds the user's labelled `examples` to a general model as few-shot memory. How strongly they
 * count is chosen by leave-one-out over the examples themselves (each planned with the others
 * remembered), by node F1 plus link F1, so nothing but the user's own data decides it.
 *
 * @example
 * const adapted = adaptWithExamples(loadGeneralModel(), myTwentyExamples, myCatalog);
 */
export function adaptWithExamples(model: GeneralModel, examples: readonly Example[], catalog: Catalog): GeneralModel {
  const known = new Set(catalog.tools.map((t) => t.name));
  const usable = examples.filter((e) => e.nodes.length > 0 && e.nodes.every((n) => known.has(n)));
  if (usable.length === 0) throw new Error('adaptWithExamples: no example uses only tools of the catalog');
  const remembered = [...(model.memory?.examples ?? []), ...rememberExamples(usable)];
  const view = catalogView(catalog);
  let best: { settings: MemorySettings; score: number } | undefined;
  for (const settings of GRID) {
    const memory = new ExampleMemory(remembered, settings);
    const golds = remembered.map((e, k) => ({ id: String(k), request: e.request, nodes: e.nodes, links: e.nodes.slice(1).map((n, j) => ({ source: e.nodes[j], target: n })) }));
    const ev = scorePlans(remembered.map((e, k) => planOver(model, view, e.request, memory, k)), golds, catalog);
    const score = ev.nodeF1 + ev.linkF1;
    if (!best || score > best.score + 1e-9) best = { settings, score };
  }
  return { ...model, memory: { settings: best!.settings, examples: remembered } };
}
