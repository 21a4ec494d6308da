import type { Catalog, Plan } from './types.ts';
import { catalogFingerprint, loadCatalog } from './catalog.ts';
import { linksByType } from '../machines/type-tags.ts';
import { DEFAULT_MODEL_DIR, loadPlannerModel, modelText, readPreprocessing } from './default-model.ts';
import { checkInstruction } from './model/planner.ts';
import { isEnsemble, type AnyPlannerModel } from './model/io.ts';
import { withFallback, type FallbackOutcome, type LlmConfig } from './fallback/index.ts';
import { knownWordShare, knownWordsOnly } from './coverage.ts';
import { planToLists, sameGraph } from './metrics.ts';
import { createZeroShotPlanner, type ZeroShotPlanner } from './zero-shot/index.ts';
import { createGeneralPlanner, isGeneralModelDir, loadGeneralModel, GENERAL_MODEL_DIR, GENERAL_MODEL_FILE } from './general/index.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogOpenWorldCheck, createOpenWorldCheck, noClauseFits, zeroShotUnmatched, type OpenWorldCheck } from './open-world.ts';
import { lowerForUnmatched } from './open-world-confidence.ts';
import { finishPlan, type FinishedPlan } from './finish.ts';
import type { PhraseNamer } from './negation.ts';
import { endSteps } from './renumber.ts';
import { planNotes, type PlanNotes } from './notes.ts';
import { requestAsMeant } from './corrections.ts';

/**
 * The planner's front door: instruction -> checked DAG of catalog workers (-> `compilePlan` ->
 * statechart). The model runs in plain JS at inference; tfjs is only initialised when training.
 */

/** Training loads tfjs; only a zero-shot catalog needs it here. */
const loadTraining = () => import('./train.ts');

/**
 * Below this share of known words (see `knownWordShare`: words of the catalog and of the requests
 * the model remembers) an instruction is not planned by the model: it is a guess. Gibberish like
 * "asdf qwer zxcv" scores 0; a request with names, places and a few unusual words still scores over
 * a half. A request half in another language is planned, flagged, when its known words alone make
 * the plan (see `knownWordsCarry`).
 */
export const MIN_VOCABULARY_COVERAGE = 0.5;

/** How a catalog no trained model knows is planned (see `PlanOptions.zeroShotMethod`). */
export type ZeroShotMethod = 'general' | 'match' | 'adapt';

/** The planner found nothing to do for an instruction (and no fallback did either). */
export class PlanRefusedError extends Error {
  override name = 'PlanRefusedError';
}

export interface PlanOptions {
  /** A catalog (its `links` may be left out: they are derived from the tools' types), or the path of a catalog JSON file. Default: the model's own catalog. */
  catalog?: Catalog | string;
  /** A saved model or ensemble directory. Default: the committed default model. */
  modelDir?: string;
  /**
   * Plan over a catalog the model was not trained on, from the tools' descriptions and graph.
   * Without it, a catalog that differs from an explicit `modelDir`'s is refused; with the default
   * model, another catalog is always planned zero-shot.
   */
  zeroShot?: boolean;
  /**
   * How another catalog is planned: `'general'` (default) uses the shipped general model
   * (planner/general: catalog-independent scoring fitted on UltraTool; on a typed catalog, such as
   * one made from workers, its plan is completed with the producers the steps need); `'match'`
   * matches each clause to the tools' descriptions (planner/zero-shot); `'adapt'` rebinds the
   * trained model to the catalog (`adaptPlanner`). NF / LF on UltraTool with 52 tools held out:
   * general 61 / 26, match 44 / 13, adapt 33 / 4; on the built-in catalog's hand-written requests
   * (test half): general 73 / 55, match 61 / 47 (bench/planner-zero-shot.ts).
   */
  zeroShotMethod?: ZeroShotMethod;
  /** Below this plan confidence the fallback runs. Default: the model's dev-calibrated threshold. */
  threshold?: number;
  /**
   * The run's input is given apart from the instruction (`run --input`): no step is dropped or
   * flagged for want of an input the instruction does not carry (see `finishPlan`).
   */
  inputGiven?: boolean;
  /** LLM endpoint for the fallback; default from the environment; `null` disables it. */
  llm?: LlmConfig | null;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

/**
 * Which planner made a plan, for the reader of a plan (`plan` prints it in its header).
 * `model` and `ensemble` learned from requests over this very catalog; the others plan a catalog
 * no model was trained on: `general-model` (the shipped catalog-independent model, or one from
 * `train --general` / `--synthetic` with its remembered requests), `clause-matcher` (each clause
 * matched to the tools' descriptions) and `adapted-model` (the trained model rebound to the
 * catalog, `zeroShotMethod: 'adapt'`).
 *
 * @example
 * (await planWithDetails('Book a flight', { catalog: 'flights.json' })).planner // { kind: 'general-model', tools: 5 }
 */
export interface PlannerInfo {
  kind: 'model' | 'ensemble' | 'general-model' | 'clause-matcher' | 'adapted-model';
  /** Tools of the catalog planned over. */
  tools: number;
  /** Pooled models of an ensemble (adapted or not). */
  members?: number;
  /** Requests a general model remembers as few-shot memory. */
  remembered?: number;
}

export interface PlanResult extends PlanNotes {
  plan: Plan;
  /** Which planner made it. */
  planner: PlannerInfo;
  /** What the low-confidence fallback did. */
  outcome: FallbackOutcome;
  catalog: Catalog;
  /** The planner used: one model, an ensemble, or the zero-shot clause matcher. */
  model: AnyPlannerModel | ZeroShotPlanner;
}

/** `declined`, `unreachable` and `cannotStart` for a `PlanResult`: only for a plan the model made (an LLM plan is the LLM's reading). */
function leftOutOf(plan: Plan, left: Omit<FinishedPlan<Plan>, 'plan'>): PlanNotes {
  return plan.source === 'llm' ? {} : planNotes(left);
}

const completed = new WeakMap<object, Catalog>();

/**
 * A catalog passed as an object, completed as a catalog file is: without `links`, the hand-offs are
 * derived from the tools' types (`linksByType`). Once per object, since the planners cache their
 * work per catalog object. From plain JavaScript nothing else checks its shape, so a value without
 * a `tools` array is refused in one line. (Not the file's full schema: catalogs built in code, from
 * MCP servers or datasets, may carry empty descriptions a file may not.)
 */
function checkedCatalog(value: Catalog): Catalog {
  if (!value || !Array.isArray(value.tools)) throw new Error('options.catalog: expected { tools: [{ name, description }], links? } or the path of a catalog JSON file');
  if (Array.isArray(value.links)) return value;
  let c = completed.get(value);
  if (!c) completed.set(value, (c = { ...value, links: linksByType(value.tools) }));
  return c;
}

/**
 * Loads the model (cached) for the options, bound to the requested catalog; `adapted` when the
 * trained model was rebound to it (`zeroShotMethod: 'adapt'`).
 *
 * @example
 * const { model, catalog } = await resolvePlanner({ modelDir: 'models/mine' });
 */
export async function resolvePlanner(options: Pick<PlanOptions, 'catalog' | 'modelDir' | 'zeroShot' | 'zeroShotMethod'> = {}): Promise<{ model: AnyPlannerModel | ZeroShotPlanner; catalog: Catalog; adapted?: boolean }> {
  const catalog = typeof options.catalog === 'string' ? loadCatalog(options.catalog) : options.catalog && checkedCatalog(options.catalog);
  const dir = options.modelDir ?? DEFAULT_MODEL_DIR;
  if (options.modelDir && isGeneralModelDir(options.modelDir)) return generalFromDir(options.modelDir, catalog);
  if (!catalog) {
    const model = loadPlannerModel(dir);
    return { model, catalog: model.catalog };
  }
  // The default model knows only the built-in workers: any other catalog is planned zero-shot.
  if (options.zeroShot || !options.modelDir) {
    const base = loadPlannerModel(dir);
    if (base.fingerprint === fingerprintOf(catalog)) return { model: base, catalog };
    const method = options.zeroShotMethod ?? 'general';
    if (method === 'general') return { model: generalPlanner(loadGeneralModel(GENERAL_MODEL_DIR), catalog), catalog };
    if (method === 'match') return { model: zeroShotMatcher(catalog), catalog };
    // Imported lazily: the training module loads tfjs, which plain planning never needs.
    const { adaptPlanner } = await loadTraining();
    return { model: adaptPlanner(base, catalog), catalog, adapted: true };
  }
  return { model: loadPlannerModel(dir, catalog), catalog };
}

/**
 * Each catalog object's fingerprint, computed once: hashing a 500-tool catalog takes about as long
 * as planning over it (1.4 ms, bench/planner-latency.ts). A catalog is not changed once planned over.
 */
const fingerprints = new WeakMap<Catalog, string>();
function fingerprintOf(catalog: Catalog): string {
  let f = fingerprints.get(catalog);
  if (f === undefined) fingerprints.set(catalog, (f = catalogFingerprint(catalog)));
  return f;
}

/** A general model bound to each catalog object once (reading the catalog's texts is not per plan). */
const generalPlanners = new WeakMap<Catalog, Map<object, ZeroShotPlanner>>();
function generalPlanner(model: ReturnType<typeof loadGeneralModel>, catalog: Catalog): ZeroShotPlanner {
  let byModel = generalPlanners.get(catalog);
  if (!byModel) generalPlanners.set(catalog, (byModel = new Map()));
  let p = byModel.get(model);
  if (!p) byModel.set(model, (p = createGeneralPlanner(model, catalog)));
  return p;
}

/** A directory from `train --synthetic`: the general model, over the catalog given or the one saved beside it. */
function generalFromDir(dir: string, given: Catalog | undefined): { model: ZeroShotPlanner; catalog: Catalog } {
  const saved = join(dir, 'catalog.json');
  const catalog = given ?? (existsSync(saved) ? loadCatalog(saved) : undefined);
  if (!catalog) throw new Error(`${dir}: a general model plans over a catalog: pass --catalog <file> (or keep catalog.json beside ${GENERAL_MODEL_FILE})`);
  return { model: generalPlanner(loadGeneralModel(dir), catalog), catalog };
}

/** One clause matcher per catalog object: building it fits the catalog's idf (cheap, but not per plan). */
const matchers = new WeakMap<Catalog, ZeroShotPlanner>();
function zeroShotMatcher(catalog: Catalog): ZeroShotPlanner {
  let m = matchers.get(catalog);
  if (!m) matchers.set(catalog, (m = createZeroShotPlanner(catalog)));
  return m;
}

/** One open-world check per trained model: its vocabulary is the catalog's plus the model's remembered requests. */
const openWorldChecks = new WeakMap<object, OpenWorldCheck>();
function openWorldCheck(model: AnyPlannerModel, catalog: Catalog): OpenWorldCheck {
  let c = openWorldChecks.get(model);
  if (!c) {
    const memory = isEnsemble(model) ? model.members[0].memory : model.memory;
    openWorldChecks.set(model, (c = createOpenWorldCheck(catalog, { knownTexts: memory.requests })));
  }
  return c;
}

/** What `PlanResult.planner` says about `model` over `catalog` (`adapted`: rebound by `zeroShotMethod: 'adapt'`). */
function plannerInfo(model: AnyPlannerModel | ZeroShotPlanner, catalog: Catalog, adapted = false): PlannerInfo {
  const tools = catalog.tools.length;
  if (isMatcher(model)) {
    if (model.kind === 'zero-shot-matcher') return { kind: 'clause-matcher', tools };
    return { kind: 'general-model', tools, ...(model.remembered ? { remembered: model.remembered } : {}) };
  }
  const kind = adapted ? 'adapted-model' : isEnsemble(model) ? 'ensemble' : 'model';
  return { kind, tools, ...(isEnsemble(model) ? { members: model.members.length } : {}) };
}

const isMatcher = (m: AnyPlannerModel | ZeroShotPlanner): m is ZeroShotPlanner => 'kind' in m && (m.kind === 'zero-shot-matcher' || m.kind === 'general-planner');

/**
 * Plans an instruction and reports what the fallback did. Empty or oversized instructions, bad
 * catalogs and models from another catalog are errors; an instruction with no usable plan is a
 * `PlanRefusedError`; a weak plan comes back flagged `lowConfidence` (or replaced by a validated
 * LLM plan when an endpoint is configured).
 *
 * @example
 * const { plan, outcome } = await planWithDetails('Summarise docs/q3.md and chart sales.csv');
 */
export async function planWithDetails(instruction: string, options: PlanOptions = {}): Promise<PlanResult> {
  checkInstruction(instruction);
  const { model, catalog, adapted } = await resolvePlanner(options);
  // A request forwarded in quotes is read as what to do, not as a text to work on, and a clause
  // taken back ("outline only. no wait, the full deck") as not said (see `requestAsMeant`).
  const read = requestAsMeant(instruction);
  // Checked after the reading, not only before: "Chart the — scratch that" is not empty, but takes
  // itself back, and the model would only say "the instruction is empty".
  if (read.trim() === '') throw new PlanRefusedError(`plan: the instruction takes back all it asks, leaving nothing to plan (${JSON.stringify(instruction.trim().slice(0, 80))}); say what to do, e.g. "Summarise docs/report.md"`);
  if (isMatcher(model)) return matchWithDetails(instruction, read, model, catalog, options);
  // The model reads the instruction the way it was trained (e.g. paths masked); the plan keeps the original.
  const pre = readPreprocessing(options.modelDir ?? DEFAULT_MODEL_DIR);
  const text = modelText(read, pre);
  // A step the request declines ("no report needed"), or that no input reaches, is dropped whoever planned it (planner/finish.ts).
  const raw = model.plan(text);
  const namer = phraseNamer(model, pre);
  const { plan: first, ...left } = finishPlan({ ...raw, instruction }, read, catalog, { inputGiven: options.inputGiven, namer });
  const threshold = options.threshold ?? model.threshold;
  const world = openWorldCheck(model, catalog);
  // A clause no worker does (an action the catalog and the training never covered) makes the plan partial.
  const clauses = world.check(read);
  const unmatched = clauses.filter((c) => c.reason).map((c) => c.clause);
  // An empty plan can never run, and a plan for words the model never saw is a guess: both get
  // zero confidence, so the fallback gets its chance (as `finishPlan` gives a plan that cannot start).
  // Under the bar, a plan the known words alone carry, with no clause no worker does, is kept, but
  // held under the threshold in proportion to the share of words read: what the rest asks ("y luego
  // tradúcelo todo al inglés") no check sees, so it is always flagged and the fallback is asked.
  const coverage = knownWordShare(world.vocabulary, text);
  const underBar = coverage < MIN_VOCABULARY_COVERAGE;
  const unknown = underBar && (unmatched.length > 0 || !knownWordsCarry(model, world, text, raw, first.confidence, threshold));
  const capped = underBar && !unknown ? { ...first, confidence: Math.min(first.confidence, coverage * threshold) } : first;
  // A request every clause of which no worker does, planned without conviction, gets no plan, not
  // the least bad workers ("set a reminder to renew my passport": product-manager > coder at 0.55).
  // Each clause must also resemble no tool, as in zero-shot planning: "email the summary of
  // report.md" is undone only in part. And the model's doubt is required: the check alone also
  // reports a few doable requests whose words it does not know ("vibe check on chat.txt - are ppl
  // mad", planned at 0.99).
  const nothing = noClauseFits(clauses) && first.confidence < threshold;
  const zero = first.nodes.length === 0 || unknown || nothing ? { ...first, nodes: nothing ? [] : first.nodes, confidence: 0 } : capped;
  const candidate = lowerForUnmatched(zero, unmatched.length, clauses.length, threshold);
  const fallback = await withFallback(candidate, catalog, { threshold, llm: options.llm, env: options.env, fetch: options.fetch });
  const { outcome } = fallback;
  // Even at threshold 0 (no fallback ever), a plan that leaves a clause undone, or cannot start, is not a confident one.
  const plan = (unmatched.length > 0 || left.cannotStart.length > 0) && fallback.plan.source !== 'llm' ? { ...fallback.plan, lowConfidence: true } : fallback.plan;
  if (plan.source !== 'llm' && unknown) {
    throw new PlanRefusedError(
      `plan: most words of this instruction are unknown to the planner (${Math.round(100 * coverage)}% known)${outcome.status === 'not-configured' ? '' : ` (LLM fallback: ${outcome.status})`}; ` +
        `say what to do with which file, e.g. "Summarise docs/report.md and extract its keywords"`,
    );
  }
  if (plan.nodes.length === 0) {
    throw new PlanRefusedError(
      `plan: no worker of the catalog fits this instruction${unmatched.length > 0 ? ` (unmatched: ${unmatched.map((u) => JSON.stringify(u)).join(', ')})` : ''}${outcome.status === 'not-configured' ? '' : ` (LLM fallback: ${outcome.status})`}; ` +
        `name what to do, e.g. ${catalog.tools.slice(0, 3).map((t) => `"${t.name}"`).join(', ')}`,
    );
  }
  // The catalog still lacks the worker whoever planned, so the clauses are reported with an LLM plan too.
  return { plan, planner: plannerInfo(model, catalog, adapted), outcome, catalog, model, ...(unmatched.length > 0 ? { unmatched } : {}), ...leftOutOf(plan, left) };
}

/**
 * How a trained planner reads a declined phrase no tool word names ("skip the word count", "lose
 * the tone check"): the steps its plan for the phrase alone ends in, when that plan is not flagged,
 * and that the request without the phrase does not ask for anyway. So a phrase that names no step
 * ("no fuss", "without the appendix") declines none, and neither does one the model over-reads
 * ("into HTML, no changes to the wording": "changes" alone plans HTML, but so does the rest). The
 * steps the phrase's plan starts from (the reads before "the word count") are not declined: they
 * feed the rest of the request too.
 *
 * @example
 * phraseNamer(model, pre)('the word count', 'Summary of a.md and the word count. Strike the word count.') // ['text-stats']
 */
export function phraseNamer(model: AnyPlannerModel, pre: ReturnType<typeof readPreprocessing>): PhraseNamer {
  return (phrase, request, takenBack) => {
    const read = modelText(phrase, pre);
    const own = model.plan(read);
    const ends = own.lowConfidence ? firstStepAllMembersTake(model, read) : endSteps(own.nodes).map((n) => n.worker);
    if (ends.length === 0) return [];
    // A step taken back was asked for earlier ("summary, readability, in a report. Ignore the readability bit"): the rest asks for it by design.
    if (takenBack) return ends;
    const rest = new Set(model.plan(modelText(request.split(phrase).join(' '), pre)).nodes.map((n) => n.worker));
    return ends.filter((w) => !rest.has(w));
  };
}

/**
 * The step every member of an ensemble decodes first for a short phrase, or none. A phrase with no
 * document ("the readability", "the vibe") leaves members to add steps of their own after the one
 * it names, so their plans, and the pooled plan's confidence, disagree; the first step does not:
 * all five members start "the readability" with text-stats and "the angry part" with sentiment,
 * where "the formatting" or "the fuss" start with three or more different steps.
 */
function firstStepAllMembersTake(model: AnyPlannerModel, read: string): string[] {
  if (!isEnsemble(model)) return [];
  const firsts = new Set(model.members.map((m) => m.plan(read).nodes[0]?.worker));
  const [only] = firsts;
  return firsts.size === 1 && only !== undefined ? [only] : [];
}

/**
 * Whether a plan for an instruction mostly in words the planner does not know still stands: its
 * members agree on it (`confidence` reaches `threshold`) and the known words alone plan the same
 * graph. A request half in another language names its steps in known words ("Bhai, file.md ka
 * summary de do na" is "file.md summary do" to the planner); gibberish and a script the planner
 * cannot read leave nothing, and members agreeing on no evidence ("これを要約してください" planned a
 * website at 0.84) is no plan.
 */
function knownWordsCarry(model: AnyPlannerModel, world: OpenWorldCheck, text: string, raw: Plan, confidence: number, threshold: number): boolean {
  if (confidence < threshold || raw.nodes.length === 0) return false;
  const known = knownWordsOnly(world.vocabulary, text);
  if (known === '') return false;
  const alone = model.plan(known);
  return sameGraph(planToLists(alone), planToLists(raw));
}

/**
 * The zero-shot path (clause matcher or general model): it reads `read`, the instruction with a
 * forwarded request unquoted, and the plan keeps `instruction`; an instruction no tool matches has
 * an empty plan (the fallback's turn, then a refusal naming the unmatched clauses).
 */
async function matchWithDetails(instruction: string, read: string, matcher: ZeroShotPlanner, catalog: Catalog, options: PlanOptions): Promise<PlanResult> {
  const { unmatched: unplaced, passedOver = [], ...matched } = matcher.plan(read);
  const { plan: first, ...left } = finishPlan({ ...matched, instruction }, read, catalog, { inputGiven: options.inputGiven });
  const threshold = options.threshold ?? matcher.threshold;
  const { plan: planned, outcome } = await withFallback(first, catalog, { threshold, llm: options.llm, env: options.env, fetch: options.fetch });
  if (planned.nodes.length === 0) {
    throw new PlanRefusedError(
      `plan: no worker of the catalog fits this instruction (zero-shot; unmatched: ${unplaced.map((u) => JSON.stringify(u)).join(', ')})${outcome.status === 'not-configured' ? '' : ` (LLM fallback: ${outcome.status})`}; ` +
        `name what to do, e.g. ${catalog.tools.slice(0, 3).map((t) => `"${t.name}"`).join(', ')}`,
    );
  }
  // The matcher leaves out every clause it places no tool on, context and fragments too; what is
  // reported as done by no worker, and makes the plan low-confidence, is what the open-world check says.
  const unmatched = matcher.kind === 'zero-shot-matcher' ? zeroShotUnmatched(catalogOpenWorldCheck(catalog).check(read)) : unplaced;
  const plan = unmatched.length > 0 && planned.source !== 'llm' ? { ...planned, lowConfidence: true } : planned;
  const passed = plan.source === 'llm' ? {} : planNotes({ passedOver });
  return { plan, planner: plannerInfo(matcher, catalog), outcome, catalog, model: matcher, ...(plan.source === 'llm' ? {} : { unmatched }), ...leftOutOf(plan, left), ...passed };
}

/**
 * Plans an instruction with the default model (or `options.modelDir`) into a DAG of catalog workers.
 *
 * @example
 * const p = await plan('Make a slide deck from docs/q3.md with the key figures');
 * p.nodes.map((n) => n.worker) // ['read-file', 'extract-text', 'summarise', 'extract-figures', 'structure-slides', 'render-deck']
 */
export async function plan(instruction: string, options: PlanOptions = {}): Promise<Plan> {
  return (await planWithDetails(instruction, options)).plan;
}
