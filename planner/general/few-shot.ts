import { scorePlans } from '../metrics.ts';
import type { Catalog, Example, PlanNode } from '../types.ts';
import { catalogView } from './catalog-view.ts';
import { ExampleMemory, RememberedIndex, rememberExamples, type MemorySettings } from './examples.ts';
import { fitGeneralModel, forCatalog, type GeneralModel } from './model.ts';
import { planOver, sameTools, scoreRequest } from './planner.ts';
import { typedCatalog } from '../zero-shot/typed.ts';

/**
 * Word associations are tried only with at least this many remembered requests: a word says
 * something once several requests use it. With 20, leave-one-out chose them on two of five nested
 * UltraTool splits and lost 1.0 and 2.7 NF there; with 60 they gained 2.7 NF (73.41 -> 76.11, same
 * splits); over the built-in catalog, four samples of 50 and of 100 hand-written requests gained
 * 7.8 and 6.5 exact dev plans on average, of 20 lost 0.8 (`.scratch/ord/`, not committed).
 */
const WORDS_MIN_REMEMBERED = 50;

/**
 * A catalog most of whose tools (this share) no training request of the model used is new to its
 * weights: they were fitted on other descriptions and other wording.
 */
const NEW_CATALOG_SHARE = 0.5;

/** How strongly refitted weights are pulled toward the model's own (see `refitForCatalog`). */
const REFIT_L2 = 10;

/**
 * Fewer real examples than this do not refit (see `refitForCatalog`): on the development halves of
 * fixtures/planner/catalogs (the first K remembered, 60 scored; `scripts/general/refit-new-catalogs.ts`),
 * refitting on 3 or 5 moved shop's NF from 67.27 (memory alone) to 55.58 and 60.28, while with 10
 * shop / devops / school went 66.09 / 57.16 / 62.46 to 65.13 / 64.51 / 66.05.
 */
const REFIT_MIN_EXAMPLES = 10;

/**
 * The model with its weights refitted on the user's own labelled requests (pulled toward its own
 * weights by `REFIT_L2`), when the catalog is new to them (`NEW_CATALOG_SHARE`); else the model.
 * Remembered examples recall requests worded like them, and a user's requests differ from each
 * other more than UltraTool's templated ones: over the development halves of
 * fixtures/planner/catalogs (20 remembered, 50 scored; `scripts/general/refit-new-catalogs.ts`)
 * memory alone moved shop / devops NF 66.79 / 61.06 to 67.26 / 59.65, refitted weights with it to
 * 68.55 / 67.33. On UltraTool's nested splits, whose catalog the
 * weights were fitted on, refitting lost (few-shot 73.95 / 42.68 to 71.80 / 39.64), so it is only
 * for a new catalog. Not for a typed one either: its examples list the producers the types add
 * ("read-file", "extract-text" in nearly every plan of the built-in catalog), which the weights then
 * learned to score high for any request (bench/planner-zero-shot.ts, 20 hand-written requests
 * remembered, dev NF 77.58 to 64.92, every plan flagged). Synthesised requests never refit: on
 * UltraTool's held-out tools 400 of them cost 10 NF (bench/planner-zero-shot.ts).
 */
function refitForCatalog(model: GeneralModel, examples: readonly Example[], catalog: Catalog): GeneralModel {
  const real = examples.filter((e) => !e.synthetic);
  const requested = model.trainedOn.requested;
  if (real.length < REFIT_MIN_EXAMPLES || !requested || typedCatalog(catalog)) return model;
  const known = new Set(requested);
  const met = catalog.tools.filter((t) => known.has(t.name)).length;
  if (met >= NEW_CATALOG_SHARE * catalog.tools.length) return model;
  return { ...fitGeneralModel(real, catalog, { base: model, l2: REFIT_L2 }), confidenceWeights: model.confidenceWeights ?? { stage1: model.stage1, stage2: model.stage2 } };
}

/**
 * Settings tried, weakest first (ties keep the weaker). The remembered order is always used
 * (`orderWeight` 4): leave-one-out over 20 requests could not tell it from none, while on held-out
 * tool splits of UltraTool's seen side it was worth 3-4 link F1 at every weight. Lowering what
 * neighbours leave out (`negative` 1) comes after every setting without it, and the words'
 * associations (`words` 2) after every setting without them, so each is chosen only when it plans
 * the examples better.
 */
const GRID: MemorySettings[] = [];
for (const words of [0, 2]) {
  for (const negative of [0, 1]) {
    for (const weight of negative > 0 ? [4, 8, 16] : [0, 4, 8, 16]) for (const neighbours of [1, 3]) GRID.push({ weight, neighbours, orderWeight: 4, ...(negative > 0 ? { negative } : {}), ...(words > 0 ? { words } : {}) });
  }
}

/**
 * The model's decodings to try with memory, its own first, then with each tool's log-odds lowered:
 * remembered tools get large logits, which pull extra tools into a decoded plan, so the bias tuned
 * without memory makes plans too long. (Plain thresholding was tried too: it lost on nested dev.)
 */
function decodings(model: GeneralModel): GeneralModel[] {
  const { decode } = model;
  if (!decode) return [model];
  return [model, ...[-1, -2].map((shift) => ({ ...model, decode: { ...decode, bias: decode.bias + shift } }))];
}

/**
 * How an adapted model plans its own remembered requests, each with the others remembered, beside
 * the model alone: what a user's examples are worth, measured on the examples themselves.
 */
export interface LeaveOneOut {
  /** Remembered requests planned. */
  requests: number;
  /** Plans with exactly the request's tools: with the memory chosen, and by the model alone. */
  sameTools: number;
  aloneSameTools: number;
  /** Mean node F1, with the memory and alone. */
  nodeF1: number;
  aloneNodeF1: number;
  /** Whether the weights were refitted on the examples (a catalog new to them, see `refitForCatalog`); then the figures with memory are on requests the weights saw. */
  refitted: boolean;
}

/** How many `plans` have exactly their gold example's tools. */
function withSameTools(plans: readonly { nodes: readonly PlanNode[] }[], golds: readonly Example[]): number {
  return plans.filter((p, k) => sameTools(p.nodes, golds[k].nodes)).length;
}

/**
 * Adds the user's labelled `examples` to a general model as few-shot memory. How strongly they
 * count is chosen by leave-one-out over the examples themselves (each planned with the others
 * remembered), by node F1 plus link F1, so nothing but the user's own data decides it. Also says
 * how the chosen memory plans those requests against the model alone (`leaveOneOut`).
 *
 * @example
 * const { model, leaveOneOut } = adaptWithExamplesReported(loadGeneralModel(), myTwentyExamples, myCatalog);
 * leaveOneOut.sameTools // 14 of 20, against leaveOneOut.aloneSameTools 9
 */
export function adaptWithExamplesReported(general: GeneralModel, examples: readonly Example[], catalog: Catalog): { model: GeneralModel; leaveOneOut: LeaveOneOut } {
  // A catalog without a graph is adapted from the weights for such catalogs (see `forCatalog`).
  const model = forCatalog(general, catalog);
  const known = new Set(catalog.tools.map((t) => t.name));
  const usable = examples.filter((e) => e.nodes.length > 0 && e.nodes.every((n) => known.has(n)));
  if (usable.length === 0) throw new Error('adaptWithExamples: no example uses only tools of the catalog');
  const remembered = [...(model.memory?.examples ?? []), ...rememberExamples(usable)];
  const view = catalogView(catalog);
  const fitted = refitForCatalog(model, usable, catalog);
  const golds = remembered.map((e, k) => ({ id: String(k), request: e.request, nodes: e.nodes, links: e.nodes.slice(1).map((n, j) => ({ source: e.nodes[j], target: n })) }));
  let best: { model: GeneralModel; settings: MemorySettings; score: number; nodeF1: number; sameTools: number } | undefined;
  const grid = remembered.length >= WORDS_MIN_REMEMBERED ? GRID : GRID.filter((g) => !g.words);
  const index = new RememberedIndex(remembered);
  // Every decoding shares the model's weights, so each request is read and scored once.
  const scored = remembered.map((e) => scoreRequest(fitted, view, e.request));
  for (const decoded of decodings(fitted)) {
    for (const settings of grid) {
      const memory = new ExampleMemory(remembered, settings, index);
      const plans = remembered.map((e, k) => planOver(decoded, view, e.request, memory, k, scored[k]));
      const ev = scorePlans(plans, golds, catalog);
      const score = ev.nodeF1 + ev.linkF1;
      if (!best || score > best.score + 1e-9) best = { model: decoded, settings, score, nodeF1: ev.nodeF1, sameTools: withSameTools(plans, golds) };
    }
  }
  // The model alone, before any refit: its scores are the ones computed above unless it was refitted.
  const alone = remembered.map((e, k) => planOver(model, view, e.request, undefined, -1, fitted === model ? scored[k] : undefined));
  const leaveOneOut = { requests: remembered.length, sameTools: best!.sameTools, aloneSameTools: withSameTools(alone, golds), nodeF1: best!.nodeF1, aloneNodeF1: scorePlans(alone, golds, catalog).nodeF1, refitted: fitted !== model };
  return { model: { ...best!.model, memory: { settings: best!.settings, examples: remembered } }, leaveOneOut };
}

/**
 * Adds the user's labelled `examples` to a general model as few-shot memory (see
 * `adaptWithExamplesReported`, which also says what they are worth).
 *
 * @example
 * const adapted = adaptWithExamples(loadGeneralModel(), myTwentyExamples, myCatalog);
 */
export function adaptWithExamples(model: GeneralModel, examples: readonly Example[], catalog: Catalog): GeneralModel {
  return adaptWithExamplesReported(model, examples, catalog).model;
}
