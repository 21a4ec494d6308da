import type { Catalog } from '../types.ts';
import type { ZeroShotPlan, ZeroShotPlanner } from '../zero-shot/matcher.ts';
import { catalogView, type CatalogView } from './catalog-view.ts';
import { readRequest } from './features.ts';
import { ExampleMemory } from './examples.ts';
import { stage2Logits, type GeneralModel } from './model.ts';
import { orderTools, pairLogProbs } from './order.ts';
import { bestPath, chain, linkMatrix, overThreshold, rankedBy } from './decode.ts';
import { catalogOpenWorldCheck, zeroShotUnmatched } from '../open-world.ts';

/**
 * A general model bound to one catalog: request -> stage-2 logits -> the best plan among the top
 * candidates decoded along the tool graph (or, for a model without decoding, the tools over the
 * threshold in pairwise order) -> chained along the graph, with the clauses no tool resembles.
 */

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Cosine to a remembered example from which a request counts as one the user has shown how to plan. */
const RECALLED = 0.25;

/** The plan decoded over the model's best candidates (see decode.ts): tools and order chosen together. */
function decodeOver(model: GeneralModel, view: CatalogView, request: string, s: Float64Array, ranked: readonly number[], prefer?: ReadonlyMap<string, number>): number[] {
  const settings = model.decode!;
  const candidates = ranked.slice(0, settings.candidates);
  const before = pairLogProbs(view, request, candidates, model.order, prefer);
  const open = view.catalog.links.length === 0;
  const n = candidates.length;
  const path = bestPath(Float64Array.from(candidates, (t) => s[t]), before, linkMatrix(view, candidates), open, Math.min(model.minNodes, n), Math.min(model.maxNodes, n), settings);
  return path.map((i) => candidates[i]);
}

/**
 * Plans one request with a bound model: from the stage-2 logits (plus what remembered examples
 * say), the decoded plan (see `decodeOver`) or the tools reaching the threshold in the best pairwise
 * order, chained along the graph. `skip` leaves one remembered example out (leave-one-out tuning).
 */
export function planOver(model: GeneralModel, view: CatalogView, request: string, memory?: ExampleMemory, skip = -1): ZeroShotPlan {
  const read = readRequest(view, request);
  const s = stage2Logits(model, view, read);
  const recall = memory?.recall(request, skip);
  if (recall) for (const [name, extra] of recall.boost) { const t = view.position.get(name); if (t !== undefined) s[t] += extra; }
  const ranked = rankedBy(s);
  // A request much like a remembered example is matched by it, whatever the tool texts say.
  const recalled = (recall?.nearest ?? 0) >= RECALLED;
  const checks = recalled ? [] : catalogOpenWorldCheck(view.catalog).check(request);
  const unmatched = zeroShotUnmatched(checks);
  // A request no clause of which any tool does gets no plan (not the least bad tools).
  const picked = checks.length > 0 && unmatched.length === checks.length ? [] : overThreshold(s, ranked, model);
  const tools = picked.length > 0 && model.decode ? decodeOver(model, view, request, s, ranked, recall?.before) : orderTools(view, request, picked, model.order, recall?.before);
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
