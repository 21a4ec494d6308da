import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog, Example } from '../types.ts';
import { catalogView, type CatalogView } from './catalog-view.ts';
import { readRequest, stage2Features, STAGE1_SIZE, STAGE2_SIZE, type ReadRequest } from './features.ts';
import { fitLogistic, logit, type LogisticModel } from './logistic.ts';
import { mentions, ORDER_SIZE, pairFeatures } from './order.ts';
import { fitOrderWords, type OrderWords } from './order-words.ts';
import type { MemorySettings, RememberedExample } from './examples.ts';
import { overThreshold, rankedBy, type DecodeSettings, type PlanLimits } from './decode.ts';
import { chooseDecode } from './tune-decode.ts';
import { VERIFIER_SIZE, type PlanVerifier } from './verifier.ts';

/**
 * The general planner's model: three small logistic models over catalog-independent features
 * (which tools a request asks for; how the tool graph supports each; which of two tools comes
 * first), plus the decision threshold and how plans are decoded over the tool graph (decode.ts,
 * chosen on dev requests). It has no per-tool parameter, so one fitted on UltraTool
 * plans over any catalog, and a few hundred requests (synthetic or real) fine-tune it in seconds.
 */
export interface GeneralModel {
  format: 'orchestai-general-planner';
  /** 2 since the order features changed (a v1 file must be refitted). */
  version: 2;
  stage1: LogisticModel;
  stage2: LogisticModel;
  order: LogisticModel;
  /** Which of two tools comes first by their texts' words, where nothing else says (order-words.ts). */
  orderWords?: OrderWords;
  /** A tool whose stage-2 logit reaches this is planned. */
  threshold: number;
  /** Plans have at least / at most this many steps (from the training plans). */
  minNodes: number;
  maxNodes: number;
  /** Plan decoding over the graph (decode.ts); without it, tools over the threshold in pairwise order. */
  decode?: DecodeSettings;
  /**
   * The weights a plan's confidence is read with, when `stage1` and `stage2` were refitted on a
   * user's few examples of a catalog new to them (see `adaptWithExamples`): the refitted weights
   * plan better there but score their own plans too high to doubt them.
   */
  confidenceWeights?: { stage1: LogisticModel; stage2: LogisticModel };
  /**
   * The weights, threshold and decoding for a catalog without a graph (a catalog file without
   * links, or an OpenAI, Anthropic or MCP tool list whose parameters match no tool's output),
   * fitted on the same requests with the graph removed (`fitGeneralModel`'s `open`). The graph
   * weights read a tool no link reaches as one no neighbour supports, for every tool at once; see
   * `forCatalog`. Absent: the graph weights plan such catalogs too.
   */
  open?: OpenWeights;
  /**
   * What flags a zero-shot plan over a catalog with a graph, fitted on plans of tools the model
   * never saw (fit-verifier.ts); absent, a plan is flagged when a step's probability is under
   * the threshold.
   */
  verifier?: PlanVerifier;
  /** The user's own labelled requests, recalled by similarity (few-shot; see `rememberExamples`). */
  memory?: { settings: MemorySettings; examples: RememberedExample[] };
  /**
   * What it was fitted on, for `orchestai eval` and the README; `requested`: the tools its training
   * requests used, by name, so adapting to a catalog can tell whether the weights have met that
   * catalog's descriptions (see `adaptWithExamples`). Absent in files written before it.
   */
  trainedOn: { examples: number; tools: number; requested?: string[]; note?: string };
}

/** What a model holds for catalogs without a graph (see `GeneralModel.open`). */
export type OpenWeights = Pick<GeneralModel, 'stage1' | 'stage2' | 'order' | 'threshold' | 'minNodes' | 'maxNodes' | 'decode' | 'verifier'>;

/**
 * The model as it plans `catalog`: its open weights (`GeneralModel.open`) when the catalog has no
 * graph and the model holds them, else the model itself.
 *
 * @example
 * forCatalog(loadGeneralModel(), { tools, links: [] }).threshold // the open weights' threshold
 */
export function forCatalog(model: GeneralModel, catalog: Catalog): GeneralModel {
  if (catalog.links.length > 0) return model;
  // A verifier is fitted on the plans of the weights it judges: the graph weights' one judges no
  // plan made without a graph (it let 8 to 21 of about 60 wrong plans per half through that the
  // confidence flags; scripts/general/plan-verifier.ts).
  const { open, verifier: _graphVerifier, ...graph } = model;
  if (!open) return graph;
  const { decode: _graphDecode, ...rest } = graph;
  return { ...rest, ...open };
}

/** `fixtures/planner/general`: the shipped general model, fitted on UltraTool (scripts/general/train-general.ts). */
export const GENERAL_MODEL_DIR = fileURLToPath(new URL('../../fixtures/planner/general', import.meta.url));

/** The file name of a general model inside its directory. */
export const GENERAL_MODEL_FILE = 'general-model.json';

export interface FitGeneralOptions {
  /** Parameter names per tool, as the tool texts include them. */
  params?: Readonly<Record<string, readonly string[]>>;
  /** Requests to choose the threshold and least plan size on (default: the training examples; with `base` and no `dev`, the base's are kept). */
  dev?: readonly Example[];
  /** Fine-tune: shrink towards this model's weights instead of zero. */
  base?: GeneralModel;
  /** Fix the least plan size instead of choosing it on dev (a shipped model should allow one-step plans). */
  minNodes?: number;
  /** L2 strength (default 1; fine-tuning uses more so a small sample adjusts the base). */
  l2?: number;
  note?: string;
  /** Also fit the weights for catalogs without a graph (`GeneralModel.open`), on the same requests with the graph removed. */
  open?: boolean;
}

/** Stage-1 logits of every tool. */
export function stage1Logits(model: Pick<GeneralModel, 'stage1'>, read: ReadRequest): Float64Array {
  return Float64Array.from(read.stage1, (row) => logit(model.stage1, row));
}

/** Stage-2 logits of every tool (the planning score). */
export function stage2Logits(model: Pick<GeneralModel, 'stage1' | 'stage2'>, view: CatalogView, read: ReadRequest): Float64Array {
  return Float64Array.from(stage2Features(view, read, stage1Logits(model, read)), (row) => logit(model.stage2, row));
}

/** The examples whose every gold tool is in the catalog, as catalog indices. */
function indexed(view: CatalogView, examples: readonly Example[]): { example: Example; gold: number[] }[] {
  const out: { example: Example; gold: number[] }[] = [];
  for (const example of examples) {
    const gold = example.nodes.map((n) => view.position.get(n));
    if (gold.length > 0 && gold.every((g) => g !== undefined)) out.push({ example, gold: gold as number[] });
  }
  return out;
}

/** Rows and labels: one row per (example, tool). */
function labelled(rowsOf: (i: number) => Float64Array[], data: { gold: number[] }[]): { rows: Float64Array[]; labels: number[] } {
  const rows: Float64Array[] = [], labels: number[] = [];
  data.forEach((d, i) => {
    const gold = new Set(d.gold);
    rowsOf(i).forEach((row, t) => { rows.push(row); labels.push(gold.has(t) ? 1 : 0); });
  });
  return { rows, labels };
}

/** Pairwise order rows from gold chains: "a before b" (1) and "b before a" (0). */
function orderRows(view: CatalogView, data: { example: Example; gold: number[] }[]): { rows: number[][]; labels: number[] } {
  const rows: number[][] = [], labels: number[] = [];
  for (const { example, gold } of data) {
    if (new Set(gold).size !== gold.length) continue;
    const at = mentions(view, example.request, gold);
    for (let x = 0; x < gold.length; x++) for (let y = x + 1; y < gold.length; y++) {
      rows.push(pairFeatures(view, gold[x], gold[y], at)); labels.push(1);
      rows.push(pairFeatures(view, gold[y], gold[x], at)); labels.push(0);
    }
  }
  return { rows, labels };
}

/** Node F1 of the tools plain thresholding keeps, over pre-computed (and pre-ranked) logits. */
function nodeF1At(dev: readonly { logits: Float64Array; ranked: number[]; gold: number[] }[], limits: PlanLimits): number {
  let sum = 0;
  for (const { logits, ranked, gold } of dev) {
    const picked = overThreshold(logits, ranked, limits);
    const golds = new Set(gold);
    const hit = picked.filter((t) => golds.has(t)).length;
    sum += hit === 0 ? 0 : (2 * hit) / (picked.length + golds.size);
  }
  return sum / Math.max(1, dev.length);
}

/**
 * Fits a general model on `examples` over `catalog` (both stages, the order model, the threshold
 * with the best node F1 on `dev`, then the graph decoding with the best node F1 + link F1 on `dev`,
 * or none when thresholding does as well).
 *
 * @example
 * const model = fitGeneralModel(trainExamples, catalog, { dev: devExamples });
 */
export function fitGeneralModel(examples: readonly Example[], catalog: Catalog, options: FitGeneralOptions = {}): GeneralModel {
  const view = catalogView(catalog, options.params);
  const data = indexed(view, examples);
  if (data.length === 0) throw new Error('fitGeneralModel: no example uses only tools of the catalog');
  const reads = data.map((d) => readRequest(view, d.example.request));
  const l2 = options.l2 ?? 1;
  const { base } = options;
  const s1 = labelled((i) => reads[i].stage1, data);
  const stage1 = fitLogistic(s1.rows, s1.labels, { l2, prior: base?.stage1 });
  const s2 = labelled((i) => stage2Features(view, reads[i], stage1Logits({ stage1 }, reads[i])), data);
  const stage2 = fitLogistic(s2.rows, s2.labels, { l2, prior: base?.stage2 });
  const o = orderRows(view, data);
  const order = o.rows.length > 0 ? fitLogistic(o.rows, o.labels, { l2, prior: base?.order }) : base?.order ?? { mean: new Array(ORDER_SIZE).fill(0), scale: new Array(ORDER_SIZE).fill(1), weights: [0, 0, -1, 0, 0, 0] };
  const sizes = data.map((d) => new Set(d.gold).size);
  const maxNodes = base?.maxNodes ?? Math.min(8, Math.max(...sizes));
  const requested = [...new Set([...(base?.trainedOn.requested ?? []), ...data.flatMap((d) => d.example.nodes)])].sort();
  const trainedOn = { examples: data.length + (base?.trainedOn.examples ?? 0), tools: catalog.tools.length, requested, ...(options.note ? { note: options.note } : {}) };
  if (base && !options.dev) return { ...base, stage1, stage2, order, trainedOn };
  const devData = options.dev ? indexed(view, options.dev) : data;
  const devLogits = devData.map((d) => stage2Logits({ stage1, stage2 }, view, readRequest(view, d.example.request)));
  const ranked = devData.map((d, i) => ({ logits: devLogits[i], ranked: rankedBy(devLogits[i]), gold: d.gold }));
  // The threshold and the least plan size together, by node F1 on dev (UltraTool's plans never have one step; a user's may).
  let threshold = base?.threshold ?? 0, minNodes = base?.minNodes ?? 1, best = -1;
  const sizesTried = options.minNodes !== undefined ? [options.minNodes] : [1, 2, 3].filter((m) => m <= maxNodes);
  for (const m of sizesTried) {
    for (let t = -3; t <= 3.001; t += 0.25) {
      const f = nodeF1At(ranked, { threshold: t, minNodes: m, maxNodes });
      if (f > best + 1e-9) { best = f; threshold = Number(t.toFixed(2)); minNodes = m; }
    }
  }
  const decode = chooseDecode(view, order, devData.map((d, i) => ({ example: d.example, logits: devLogits[i] })), { threshold, minNodes, maxNodes });
  return {
    format: 'orchestai-general-planner', version: 2, stage1, stage2, order, threshold, minNodes, maxNodes,
    ...(decode ? { decode } : {}),
    // A base model's table came from far more plans than a user's few examples make.
    orderWords: base?.orderWords ?? fitOrderWords(view, data.map((d) => d.gold)),
    trainedOn,
    ...(options.open && catalog.links.length > 0 ? { open: openWeights(examples, catalog, options) } : {}),
  };
}

/** The weights for catalogs without a graph: fitted as the model's, on `catalog` with its links removed. */
function openWeights(examples: readonly Example[], catalog: Catalog, options: FitGeneralOptions): OpenWeights {
  return asOpenWeights(fitGeneralModel(examples, { ...catalog, links: [] }, { ...options, open: false }));
}

/**
 * What of a model fitted on a catalog without a graph becomes another model's `open` weights.
 *
 * @example
 * const model = { ...graphModel, open: asOpenWeights(fitGeneralModel(train, { ...catalog, links: [] })) };
 */
export function asOpenWeights(m: GeneralModel): OpenWeights {
  return {
    stage1: m.stage1, stage2: m.stage2, order: m.order, threshold: m.threshold, minNodes: m.minNodes, maxNodes: m.maxNodes,
    ...(m.decode ? { decode: m.decode } : {}), ...(m.verifier ? { verifier: m.verifier } : {}),
  };
}

/** Whether `m` is a logistic model over `size` features: that many finite means and scales, and one more weight. */
function isLogistic(m: LogisticModel | undefined, size: number): boolean {
  return !!m && [m.mean, m.scale].every((a) => Array.isArray(a) && a.length === size && a.every(Number.isFinite)) && Array.isArray(m.weights) && m.weights.length === size + 1 && m.weights.every(Number.isFinite);
}

/** Whether `x` is a table of word pairs ("x y") to finite log-odds (see order-words.ts). */
function isOrderWords(x: unknown): x is OrderWords {
  return !!x && typeof x === 'object' && !Array.isArray(x) && Object.entries(x).every(([k, n]) => /^\S+( \S+)?$/.test(k) && Number.isFinite(n));
}

/** Checks the weights, threshold, plan sizes and decoding of a model (`at` '') or of its open weights (`at` 'open.'). */
function checkWeights(v: Partial<OpenWeights>, file: string, at: string): void {
  const sizes: [keyof OpenWeights, number][] = [['stage1', STAGE1_SIZE], ['stage2', STAGE2_SIZE], ['order', ORDER_SIZE]];
  for (const [key, size] of sizes) {
    if (!isLogistic(v[key] as LogisticModel | undefined, size)) throw new Error(`${file}: field "${at}${key}" must hold ${size} means, scales and ${size + 1} finite weights`);
  }
  for (const key of ['threshold', 'minNodes', 'maxNodes'] as const) {
    if (typeof v[key] !== 'number' || !Number.isFinite(v[key])) throw new Error(`${file}: field "${at}${key}" must be a finite number`);
  }
  if (v.verifier !== undefined && !(isLogistic(v.verifier?.model, VERIFIER_SIZE) && Number.isFinite(v.verifier?.threshold))) throw new Error(`${file}: field "${at}verifier" needs a "model" of ${VERIFIER_SIZE} means, scales and ${VERIFIER_SIZE + 1} finite weights and a finite "threshold"`);
  if (v.decode !== undefined) {
    const d = v.decode as unknown as Record<string, unknown>;
    const ok = Number.isInteger(d?.candidates) && (d.candidates as number) >= 1 && ['orderWeight', 'breakPenalty', 'bias'].every((k) => Number.isFinite(d[k]));
    if (!ok) throw new Error(`${file}: field "${at}decode" needs a whole "candidates" >= 1 and finite orderWeight, breakPenalty and bias`);
  }
}

/** Checks a parsed model file; throws a one-line error naming the file and the field. */
function checkModel(value: unknown, file: string): GeneralModel {
  const v = value as Partial<GeneralModel> | undefined;
  if (v?.format !== 'orchestai-general-planner') throw new Error(`${file}: not a general planner model (format must be "orchestai-general-planner")`);
  if ((v.version as number) === 1) throw new Error(`${file}: general model version 1 has the old order features; refit it with fitGeneralModel (scripts/general/train-general.ts)`);
  if (v.version !== 2) throw new Error(`${file}: unsupported general model version ${String(v.version)} (this orchestai reads 2)`);
  checkWeights(v, file, '');
  if (v.open !== undefined) {
    if (!v.open || typeof v.open !== 'object' || Array.isArray(v.open)) throw new Error(`${file}: field "open" must be an object of weights (stage1, stage2, order, threshold, minNodes, maxNodes)`);
    checkWeights(v.open, file, 'open.');
  }
  if (v.orderWords !== undefined && !isOrderWords(v.orderWords)) throw new Error(`${file}: field "orderWords" must be an object of "word" or "word word" keys and finite numbers`);
  const requested = (v.trainedOn as GeneralModel['trainedOn'] | undefined)?.requested;
  if (requested !== undefined && !(Array.isArray(requested) && requested.every((n) => typeof n === 'string'))) throw new Error(`${file}: field "trainedOn.requested" must be an array of tool names`);
  if (v.confidenceWeights !== undefined) {
    for (const [key, size] of [['stage1', STAGE1_SIZE], ['stage2', STAGE2_SIZE]] as const) {
      if (!isLogistic((v.confidenceWeights as Record<string, LogisticModel | undefined>)[key], size)) throw new Error(`${file}: field "confidenceWeights.${key}" must hold ${size} means, scales and ${size + 1} finite weights`);
    }
  }
  if (v.memory !== undefined) {
    const { settings, examples } = v.memory as Partial<NonNullable<GeneralModel['memory']>>;
    if (!settings || !['weight', 'neighbours', 'orderWeight'].every((k) => Number.isFinite((settings as unknown as Record<string, number>)[k]))) throw new Error(`${file}: field "memory.settings" needs finite weight, neighbours and orderWeight`);
    for (const key of ['negative', 'words'] as const) {
      const x = settings[key];
      if (x !== undefined && !(Number.isFinite(x) && x >= 0)) throw new Error(`${file}: field "memory.settings.${key}" must be a finite number >= 0`);
    }
    if (!Array.isArray(examples)) throw new Error(`${file}: field "memory.examples" must be an array`);
    examples.forEach((e, i) => {
      if (typeof e?.request !== 'string' || !Array.isArray(e.nodes) || !e.nodes.every((n) => typeof n === 'string')) throw new Error(`${file}: memory.examples[${i}] needs a string "request" and string "nodes"`);
      if (e.synthetic !== undefined && typeof e.synthetic !== 'boolean') throw new Error(`${file}: memory.examples[${i}].synthetic must be true or false`);
    });
  }
  return v as GeneralModel;
}

/**
 * Reads a general model from `dir` (its `general-model.json`; default the shipped one), once per directory.
 *
 * @example
 * const model = loadGeneralModel('fixtures/planner/general');
 */
export function loadGeneralModel(dir: string = GENERAL_MODEL_DIR): GeneralModel {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const model = readGeneralModel(dir);
  loaded.set(dir, model);
  return model;
}

const loaded = new Map<string, GeneralModel>();

function readGeneralModel(dir: string): GeneralModel {
  const file = join(dir, GENERAL_MODEL_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: malformed JSON (${(e as Error).message})`);
  }
  return checkModel(value, file);
}

/** True when `dir` holds a general model. */
export function isGeneralModelDir(dir: string): boolean {
  return existsSync(join(dir, GENERAL_MODEL_FILE));
}

/**
 * Writes `model` to `dir/general-model.json` (weights rounded to 6 significant digits).
 *
 * @example
 * saveGeneralModel(model, 'models/mine') // { file: 'models/mine/general-model.json', bytes: 2900 }
 */
export function saveGeneralModel(model: GeneralModel, dir: string): { file: string; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, GENERAL_MODEL_FILE);
  loaded.delete(dir);
  const text = JSON.stringify(model, (_k, x) => (typeof x === 'number' ? Number(x.toPrecision(6)) : x), 1) + '\n';
  writeFileSync(file, text);
  return { file, bytes: Buffer.byteLength(text) };
}
