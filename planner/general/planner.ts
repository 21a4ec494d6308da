import type { Catalog, PlanNode } from '../types.ts';
import type { ZeroShotPlan, ZeroShotPlanner } from '../zero-shot/matcher.ts';
import { catalogView, type CatalogView } from './catalog-view.ts';
import { readRequest } from './features.ts';
import { ExampleMemory } from './examples.ts';
import { stage2Logits, type GeneralModel } from './model.ts';
import { orderTools } from './order.ts';

/**
 * A general model bound to one catalog: request -> tools (stage-2 logits over the threshold) ->
 * order (pairwise model) -> chain along the tool graph, with the clauses no tool resembles.
 */

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Cosine to a remembered example from which a request counts as one the user has shown how to plan. */
const RECALLED = 0.25;

/** Each node depends on the one before it when the graph lets it feed it (or the catalog has no graph), else on the nearest earlier one that may. */
function chain(view: CatalogView, tools: readonly number[], confidences: readonly number[]): PlanNode[] {
  const open = view.catalog.links.length === 0;
  return tools.map((t, j) => {
    let dependsOn: string[] = [];
    for (let k = j - 1; k >= 0; k--) {
      if (open || view.feeds[tools[k]].includes(t)) { dependsOn = [`n${k + 1}`]; break; }
    }
    return { id: `n${j + 1}`, worker: view.names[t], dependsOn, confidence: confidences[j] };
  });
}

/**
 * Plans one request with a bound model: tools whose stage-2 logit (plus what remembered examples
 * say) reaches the threshold, in the best pairwise order, chained along the graph. `skip` leaves
 * one remembered example out (leave-one-out tuning).
 */
export function planOver(model: GeneralModel, view: CatalogView, request: string, memory?: ExampleMemory, skip = -1): ZeroShotPlan {
  const read = readRequest(view, request);
  const s = stage2Logits(model, view, read);
  const recall = memory?.recall(request, skip);
  if (recall) for (const [name, extra] of recall.boost) { const t = view.position.get(name); if (t !== undefined) s[t] += extra; }
  const ranked = [...s.keys()].sort((a, b) => s[b] - s[a] || a - b);
  // A request much like a remembered example is matched by it, whatever the tool texts say.
  const recalled = (recall?.nearest ?? 0) >= RECALLED;
  const unmatched = recalled ? [] : read.clauses.filter((_, k) => read.clauseBest[k] < model.unmatchedBelow);
  // A request no clause of which resembles any tool gets no plan (not the least bad tools).
  const picked = unmatched.length === read.clauses.length ? [] : ranked.filter((t, r) => r < model.maxNodes && (r < model.minNodes || s[t] >= model.threshold));
  const tools = orderTools(view, request, picked, model.order, recall?.before);
  const nodes = chain(view, tools, tools.map((t) => sigmoid(s[t])));
  const confidence = nodes.length === 0 ? 0 : Math.min(...nodes.map((n) => n.confidence));
  const lowConfidence = nodes.length === 0 || confidence < sigmoid(model.threshold) || unmatched.length > 0;
  return { instruction: request, nodes, confidence, lowConfidence, source: 'model', unmatched };
}

/**
 * Binds `model` to `catalog`. Deterministic: the same model, catalog and request give the same plan.
 *
 * @example
 * const planner = createGeneralPlanner(loadGeneralModel(GENERAL_MODEL_DIR), myCatalog);
 * planner.plan('Find flights to Oslo and book the cheapest') // { nodes: [search, book], unmatched: [] }
 */
export function createGeneralPlanner(model: GeneralModel, catalog: Catalog, params?: Readonly<Record<string, readonly string[]>>): ZeroShotPlanner {
  const view = catalogView(catalog, params);
  const memory = model.memory ? new ExampleMemory(model.memory.examples, model.memory.settings) : undefined;
  return { kind: 'general-planner', plan: (request) => planOver(model, view, request, memory), threshold: sigmoid(model.threshold), catalog };
}
