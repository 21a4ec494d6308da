import type { Catalog, PlanNode } from '../types.ts';
import { createZeroShotPlanner, DEFAULT_PREREQUISITE, type ZeroShotPlan, type ZeroShotPlanner } from '../zero-shot/matcher.ts';
import { carriesContent, completeTyped, impliedConfidence, mentions, typedCatalog, type TypedCatalog } from '../zero-shot/typed.ts';
import { catalogView, type CatalogView } from './catalog-view.ts';
import { readRequest, type ClauseTool, type ReadRequest } from './features.ts';
import { ExampleMemory } from './examples.ts';
import { forCatalog, stage2Logits, type GeneralModel } from './model.ts';
import { apartOrder, mentions as mentionsOf, orderTools, pairLogProbs, reorderByEvidence, type Mentions } from './order.ts';
import { bestPath, chain, linkMatrix, overThreshold, rankedBy } from './decode.ts';
import { catalogOpenWorldCheck, noClauseFits, zeroShotUnmatched } from '../open-world.ts';
import { lowerForUnmatched } from '../open-world-confidence.ts';
import { verified, verifierFeatures } from './verifier.ts';
import { inTimeOrder } from '../encode/time-order.ts';
import { splitRequestClauses, SPLIT_KEEPING_TIMES } from '../zero-shot/clauses.ts';
import { negatedTools } from '../negation.ts';

/**
 * A general model bound to one catalog: request -> stage-2 logits -> the best plan among the top
 * candidates decoded along the tool graph (or, for a model without decoding, the tools over the
 * threshold in pairwise order) -> chained along the graph, with the clauses no tool resembles. On a
 * typed catalog the tools over the threshold and the clauses' best tools are completed and linked by
 * type instead (see `typedPlan`).
 */

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Cosine to a remembered example from which a request counts as one the user has shown how to plan. */
const RECALLED = 0.25;

/**
 * The fewest tools the decoded plan for `read` may have. The model's `minNodes` is a habit of the
 * requests it was fitted on (UltraTool labels no request with a single tool, so the shipped model's
 * is 2), not of requests: "Turn down candidate 17" over a user's catalog is one step, and planning
 * two made it search_candidates > reject_candidate. So a request gets at least one tool per clause
 * whose best tool differs from the other clauses' (one for a one-clause request), up to `minNodes`.
 * Remembered examples decide instead: the user's own of one tool lower it so, and otherwise it is
 * `minNodes`. Synthetic ones are no such evidence (the synthesizer makes 15% of one tool, whatever
 * the user's habit); with them remembered the clause rule cost 2.3 NF on UltraTool's held-out tools.
 */
function fewestTools(model: GeneralModel, read: ReadRequest, text: string, memory?: ExampleMemory): number {
  if (memory && !memory.examples.some((e) => !e.synthetic && e.nodes.length < model.minNodes)) return model.minNodes;
  // The features split "I need next Friday off" at "next" (a step's connective); here it is a time.
  if (splitRequestClauses(text, 2, SPLIT_KEEPING_TIMES).length <= 1) return 1;
  const named = new Set((read.clauseTools ?? []).filter((c) => c.tool >= 0).map((c) => c.tool)).size;
  return Math.max(1, Math.min(model.minNodes, named));
}

/** The plan decoded over the model's best candidates (see decode.ts): tools and order chosen together. */
function decodeOver(model: GeneralModel, view: CatalogView, request: string, s: Float64Array, ranked: readonly number[], fewest: number, prefer?: ReadonlyMap<string, number>): number[] {
  const settings = model.decode!;
  const candidates = ranked.slice(0, settings.candidates);
  const before = pairLogProbs(view, request, candidates, model.order, prefer);
  const open = view.catalog.links.length === 0;
  const n = candidates.length;
  const path = bestPath(Float64Array.from(candidates, (t) => s[t]), before, linkMatrix(view, candidates), open, Math.min(fewest, n), Math.min(model.maxNodes, n), settings);
  return path.map((i) => candidates[i]);
}

/**
 * Which of tools `a` and `b` (names) a text mentions first by the words that tell them apart (1,
 * -1, or 0), for the memory's remembered order (see `ExampleMemory.recall`); 0 where the graph links
 * them one way only: that link orders them (98.6% of pairs right on held-out tools, see
 * `reorderByEvidence`), so the wording is no reason to reverse what an example remembers. Each
 * text (the request and its neighbours) is read once per plan, not once per pair.
 */
function mentionedFirst(view: CatalogView): (text: string, a: string, b: string) => number {
  const read = new Map<string, Mentions>();
  return (text, a, b) => {
    const i = view.position.get(a)!, j = view.position.get(b)!;
    if (view.feeds[i].includes(j) !== view.feeds[j].includes(i)) return 0;
    let m = read.get(text);
    if (!m) read.set(text, (m = mentionsOf(view, text, [])));
    return apartOrder(view, m, i, j);
  };
}

/** One clause matcher per catalog view, without its own completion (the typed plan does that). */
const clauseMatchers = new WeakMap<CatalogView, ZeroShotPlanner>();
function clauseMatcher(view: CatalogView): ZeroShotPlanner {
  let m = clauseMatchers.get(view);
  if (!m) clauseMatchers.set(view, (m = createZeroShotPlanner(view.catalog, { typed: false, prerequisite: Infinity, params: view.params })));
  return m;
}

/**
 * The plan over a typed catalog: the model's tools over its threshold (at least one) and each
 * clause's best-matching tool, completed with the producers they need and linked by type (see
 * zero-shot/typed.ts). The model learned UltraTool's chains of two to five look-ups; a typed
 * catalog's plans are DAGs whose reads and parses the request leaves unsaid, which its types give.
 */
function typedPlan(view: CatalogView, typed: TypedCatalog, request: string, sure: Float64Array, similar: Float64Array, picked: readonly number[]): { nodes: PlanNode[]; stated: PlanNode[] } {
  if (picked.length === 0) return { nodes: [], stated: [] };
  const byClause = clauseMatcher(view).plan(request).nodes.map((n) => view.position.get(n.worker)!);
  const done = completeTyped(typed, [...new Set([...byClause, ...picked])], similar, carriesContent(request), mentions(typed, request));
  const nodes = impliedConfidence(done.tools.map((t, j) => ({ id: `n${j + 1}`, worker: view.names[t], dependsOn: done.dependsOn[j].map((k) => `n${k + 1}`), confidence: sigmoid(sure[t]) })), done.implicit);
  return { nodes, stated: nodes.filter((_, j) => !done.implicit[j]) };
}

/**
 * The only tool the graph lets feed the plan's first step, when it is not planned and the request
 * resembles it at all (tf-idf cosine at least the clause matcher's `DEFAULT_PREREQUISITE`): "find a
 * flight and book it" over a catalog where only search_flights feeds book_flight. The model's rank
 * features, fitted on UltraTool, push down a tool the request names in other words ("find" for
 * "search"); the graph says a booking takes a found flight. Only a sole feeder: where several tools
 * feed the first step (most of UltraTool), which one is meant is the model's call, and the
 * matcher's any-feeder rule cost links there (nested protocol, .scratch/hy/prereq.mts).
 */
function soleFeeder(view: CatalogView, tools: readonly number[], similarity: (tool: number) => number): number | undefined {
  if (tools.length === 0) return undefined;
  const from = new Set(view.fedBy[tools[0]]);
  if (from.size !== 1) return undefined;
  const [f] = from;
  return tools.includes(f) || similarity(f) < DEFAULT_PREREQUISITE ? undefined : f;
}

/** A clause names a tool outright when the runner-up tool resembles it less than this share as much. */
const NAMED_RUNNER_UP = 0.3;
/** ... and it resembles that tool at least this much (tf-idf cosine). */
const NAMED_MIN_COSINE = 0.2;

/**
 * `planned` plus each tool that a clause of the request names outright and the plan left out: "put
 * it in my calendar" over a catalog with one calendar tool. The model learned UltraTool's plans of
 * two or three steps and cuts longer asks short (search > book for "search flights, book the
 * cheapest, put it in my calendar and email me the details"); the clause leaves no doubt which tool
 * it wants. Only outright names: adding every clause's best tool fixed that request but cost 9 node
 * F1 on UltraTool's nested splits, whose verbose clauses ("I have an alarm set for 7") resemble
 * near-twin tools. Outright (runner-up under 0.3 of the best, cosine at least 0.2), zero-shot moved
 * 65.81 / 32.88 -> 65.75 / 32.92 on the nested splits (scripts/general/nested-held-out.ts) and
 * 62.40 / 27.91 -> 62.03 / 27.76 on the held-out tools (bench/planner-zero-shot.ts, scored once):
 * there a clause's unique match is sometimes not the step meant. Every plan it changes is
 * low-confidence (see `planOver`), and with remembered examples it only flags: added there, it
 * cost 0.85 few-shot NF on the held-out tools.
 *
 * @example
 * withNamedTools({ clauseTools: [{ tool: 4, cosine: 0.5, runnerUp: 0.1 }] }, [0, 1]) // [0, 1, 4]
 */
export function withNamedTools(read: Pick<ReadRequest, 'clauseTools'>, planned: readonly number[], declined: (tool: number) => boolean = () => false): number[] {
  const tools = [...planned];
  for (const c of read.clauseTools ?? []) {
    if (namesTool(c, NAMED_MIN_COSINE) && !tools.includes(c.tool) && !declined(c.tool)) tools.push(c.tool);
  }
  return tools;
}

/** Whether a clause names its best tool: it resembles it at least `minCosine`, and the runner-up under 0.3 of that. */
function namesTool(c: ClauseTool, minCosine: number): boolean {
  return c.tool >= 0 && c.cosine >= minCosine && c.runnerUp < NAMED_RUNNER_UP * c.cosine;
}

/** A clause names a tool faintly when it resembles it at least this much (and the runner-up as little as above). */
const FAINT_MIN_COSINE = 0.15;

/**
 * The clauses (by index) that name a tool, at least faintly (cosine from 0.15, the runner-up under
 * 0.3 of it; with `below`, under that cosine), that the plan (`planned`, catalog indices) leaves out
 * and the request does not decline (`declined`: "and don't email me" names the e-mail tool to say
 * no). A faint name (under the outright 0.2) is too faint to add the tool
 * ("email me the ticket" resembles "Send an email to a recipient" at 0.18: adding from 0.15 cost
 * 0.07 zero-shot NF on the nested splits), but a plan that drops the one tool a clause points to
 * must not run unasked: such a clause lowers the confidence as an unmatched one does. On the nested
 * splits it flagged 5 more wrong plans of 2,438 and 2 more right ones of 793; the new catalogs'
 * development halves did not move.
 *
 * @example
 * namedLeftOut({ clauseTools: [{ tool: 2, cosine: 0.18, runnerUp: 0 }] }, [0, 1]) // [0]
 */
export function namedLeftOut(read: Pick<ReadRequest, 'clauseTools'>, planned: readonly number[], declined: (tool: number) => boolean = () => false, below = Infinity): number[] {
  const out: number[] = [];
  (read.clauseTools ?? []).forEach((c, k) => {
    if (namesTool(c, FAINT_MIN_COSINE) && c.cosine < below && !planned.includes(c.tool) && !declined(c.tool)) out.push(k);
  });
  return out;
}

/**
 * A tool-index test of whether `request` declines each tool (negation.ts), worked out on first use:
 * most requests have no clause that names a tool the plan leaves out, and then it is never asked.
 */
function declinedIn(view: CatalogView, request: string): (tool: number) => boolean {
  let names: ReadonlySet<string> | undefined;
  return (tool) => (names ??= new Set(negatedTools(request, view.catalog))).has(view.names[tool]);
}

/** Whether `nodes` are exactly the tools `names` (order and repeats aside). */
export function sameTools(nodes: readonly PlanNode[], names: readonly string[]): boolean {
  const want = new Set(names);
  return nodes.length > 0 && nodes.every((n) => want.has(n.worker)) && want.size === new Set(nodes.map((n) => n.worker)).size;
}

/** `logits` plus what remembered examples raise or lower (a copy; `logits` itself without a recall). */
function withRecall(view: CatalogView, logits: Float64Array, recall: ReturnType<ExampleMemory['recall']> | undefined): Float64Array {
  if (!recall) return logits;
  const out = Float64Array.from(logits);
  for (const [name, extra] of recall.boost) { const t = view.position.get(name); if (t !== undefined) out[t] += extra; }
  return out;
}

/** A request read, and the model's own stage-2 logits for it (before any memory). */
export interface ScoredRequest {
  read: ReadRequest;
  logits: Float64Array;
  /** The request as read: its reversed clauses in the order of their steps (see time-order.ts). */
  text: string;
}

/**
 * Reads `request` (its reversed clauses in the order of their steps, see time-order.ts) and scores
 * every tool with `model`'s own weights. Tuning the memory plans the
 * same requests once per setting tried, and only the memory and the decoding differ between them,
 * so it scores each request once (`planOver`'s `scored`).
 */
export function scoreRequest(model: GeneralModel, view: CatalogView, request: string): ScoredRequest {
  const text = inTimeOrder(request);
  const read = readRequest(view, text);
  return { read, logits: stage2Logits(model, view, read), text };
}

/**
 * Plans one request with a bound model: from the stage-2 logits (plus what remembered examples
 * say), the decoded plan (see `decodeOver`) or the tools reaching the threshold in the best pairwise
 * order, chained along the graph. `skip` leaves one remembered example out (leave-one-out tuning).
 */
export function planOver(model: GeneralModel, view: CatalogView, request: string, memory?: ExampleMemory, skip = -1, scored?: ScoredRequest): ZeroShotPlan {
  // Steps are ordered by where the request mentions them, so the plan is made from `text`, the
  // request with its reversed clauses in the order of their steps ("Before we refund…, confirm…").
  const { read, logits: own, text } = scored ?? scoreRequest(model, view, request);
  const recall = memory?.recall(text, skip, mentionedFirst(view));
  // The model's own scores are `own`; `s` adds what remembered examples raise or lower.
  const s = withRecall(view, own, recall);
  // Weights refitted on a user's few examples plan better but score their own plans too high to
  // doubt them, so the plan's confidence is read from the weights before the refit (see
  // `GeneralModel.confidenceWeights`): `judged`, and `sj` with the memory's raises.
  const judged = model.confidenceWeights ? stage2Logits(model.confidenceWeights, view, read) : own;
  const sj = judged === own ? s : withRecall(view, judged, recall);
  const ranked = rankedBy(s);
  // A request much like a remembered example is matched by it, whatever the tool texts say.
  const recalled = (recall?.nearest ?? 0) >= RECALLED;
  const checks = recalled ? [] : catalogOpenWorldCheck(view.catalog).check(request);
  const unmatched = zeroShotUnmatched(checks);
  // A request no clause of which any tool does gets no plan (not the least bad tools).
  const nothing = noClauseFits(checks, unmatched);
  const typed = typedCatalog(view.catalog);
  let nodes: PlanNode[], stated: PlanNode[];
  let leftOut = 0; // tools clauses name outright that the model did not plan
  const declined = declinedIn(view, request);
  if (typed) {
    // Producers the types add are chosen by plain similarity to the request (stage-1 feature 0, the tf-idf cosine).
    const similar = Float64Array.from(read.stage1, (r) => r[0]);
    ({ nodes, stated } = typedPlan(view, typed, text, sj, similar, nothing ? [] : overThreshold(s, ranked, { ...model, minNodes: 1 })));
  } else {
    const picked = nothing ? [] : overThreshold(s, ranked, model);
    const planned = picked.length > 0 && model.decode ? decodeOver(model, view, text, s, ranked, fewestTools(model, read, text, memory), recall?.before) : orderTools(view, text, picked, model.order, recall?.before);
    const named = nothing ? planned : withNamedTools(read, planned, declined);
    leftOut = named.length - planned.length;
    // The user's examples say what their plans hold and in what order; the general evidence (the
    // tools clauses name, the graph's and the clauses' order) is for catalogs without them.
    const tools = memory ? planned : reorderByEvidence(view, read, named, model.orderWords ? { table: model.orderWords, request: text } : undefined);
    const feeder = soleFeeder(view, tools, (t) => read.stage1[t][0]);
    const all = feeder === undefined ? tools : [feeder, ...tools];
    // The feeder was not asked for in words: its low score is no doubt about the plan, so it is as sure as the rest.
    nodes = impliedConfidence(chain(view, all, all.map((t) => sigmoid(sj[t]))), all.map((_, j) => feeder !== undefined && j === 0));
    stated = feeder === undefined ? nodes : nodes.slice(1);
  }
  // Steps the types added were not asked for in words: their low scores are no doubt about the plan.
  let confidence = stated.length === 0 ? 0 : Math.min(...stated.map((n) => n.confidence));
  // Remembered examples raise the tools they use, which says how alike two requests are, not that
  // the plan is right: unless the plan has its nearest example's tools, it is as sure as the
  // model's own scores make it.
  if (recall && !sameTools(nodes, recall.nearestNodes)) confidence = Math.min(confidence, ...stated.map((n) => sigmoid(judged[view.position.get(n.worker)!])));
  const lowConfidence = nodes.length === 0 || confidence < sigmoid(model.threshold) || unmatched.length > 0;
  // Clauses that name a tool the plan leaves out (faintly, or where remembered examples decide) are
  // reported; the faint ones doubt the plan here, the outright ones as `leftOut` does.
  const inPlan = nodes.map((n) => view.position.get(n.worker)!);
  const passed = typed ? [] : namedLeftOut(read, inPlan, declined);
  const faint = passed.filter((k) => read.clauseTools![k].cosine < NAMED_MIN_COSINE).length;
  const passedOver = passed.map((k) => ({ clause: read.clauseTexts![k], worker: view.names[read.clauseTools![k].tool] }));
  const plan: ZeroShotPlan = { instruction: request, nodes, confidence, lowConfidence, source: 'model', unmatched, ...(passedOver.length > 0 ? { passedOver } : {}) };
  // A clause naming a tool the model did not plan (added, or left out where examples decide) is a
  // doubt whatever the scores, as an unmatched clause is: the confidence goes under the threshold
  // (which is what withFallback and `run` read), the further the more such clauses.
  const doubted = lowerForUnmatched(plan, leftOut + faint, read.clauseTools?.length ?? 1, sigmoid(model.threshold));
  const judgedPlan = { ...plan, confidence: doubted.confidence, lowConfidence: doubted.lowConfidence };
  // A zero-shot plan is judged by the verifier of the weights that made it (verifier.ts, and
  // `forCatalog` for which); a plan that leaves a clause undone, or has a step a clause named, stays
  // flagged whatever it says.
  if (!model.verifier || memory || typed || nodes.length === 0 || unmatched.length > 0 || leftOut + faint > 0) return judgedPlan;
  // Without memory `s` is `own`, so `ranked` is the model's own ranking.
  return verified(judgedPlan, verifierFeatures(view, read, own, ranked, text, judgedPlan), model.verifier, model.threshold);
}

/**
 * Binds `model` to `catalog`. Deterministic: the same model, catalog and request give the same plan.
 *
 * @example
 * const planner = createGeneralPlanner(loadGeneralModel(GENERAL_MODEL_DIR), myCatalog);
 * planner.plan('Find flights to Oslo and book the cheapest') // { nodes: [search, book], unmatched: [] }
 */
export function createGeneralPlanner(general: GeneralModel, catalog: Catalog, params?: Readonly<Record<string, readonly string[]>>): ZeroShotPlanner {
  const model = forCatalog(general, catalog);
  const view = catalogView(catalog, params);
  const memory = model.memory ? new ExampleMemory(model.memory.examples, model.memory.settings) : undefined;
  return { kind: 'general-planner', plan: (request) => planOver(model, view, request, memory), threshold: sigmoid(model.threshold), catalog, ...(memory ? { remembered: memory.examples.length } : {}) };
}
