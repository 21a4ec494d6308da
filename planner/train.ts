import type * as TF from '@tensorflow/tfjs';
import type { Catalog, Example, Plan } from './types.ts';
import { DEFAULT_FEATURES, featurize, fitIdf, tokenFeatures, type FeatureConfig, type SparseVec } from './encode/features.ts';
import { seededRandom, shuffled } from './data/split.ts';
import { initTf } from './model/backend.ts';
import { toolGraph, toolText } from './model/graph.ts';
import { batchLoss, type BatchTensors } from './model/network.ts';
import { CATALOG_WEIGHTS, FIXED_WEIGHTS, cloneWeights, initWeights, type ModelConfig, type Weights } from './model/params.ts';
import { WordVectorIndex, restrictWordVectors, wordIdf, type WordVectorTable } from './encode/word-vectors.ts';
import { buildModel, type PlannerModel } from './model/planner.ts';
import { SparseAdam, sparseTimesDense } from './model/sparse.ts';
import { goldDependencies } from './model/targets.ts';
import { RetrievalMemory, memoryFromExamples, remember, type MemoryData } from './model/memory.ts';
import { scorePlans, type PlanMetrics } from './metrics.ts';
import type { DecodeOptions } from './decode/beam.ts';
import { buildEnsemble, type EnsembleCombine, type EnsembleModel } from './model/ensemble.ts';
import { TrainPool } from './parallel/train-pool.ts';
import { availableParallelism } from 'node:os';

/** Reported after every epoch. */
export interface EpochInfo {
  epoch: number; loss: number; dev?: PlanMetrics; ms: number; best: boolean;
  /** The most epochs this run can take: the epoch limit, or a replayed schedule's epoch count. */
  of: number;
  /** Set by `trainEnsemble`, whose members train side by side: the member (0-based), and whether this is its refit. */
  member?: number; refit?: boolean;
}

export interface TrainOptions {
  /** Maximum epochs (early stopping usually ends sooner when `dev` is given). Default 40. */
  epochs?: number;
  /** Fixes initialisation, shuffling and dropout. Default 42. */
  seed?: number;
  /** Dev examples for early stopping and confidence calibration (carve them from the training ids). */
  dev?: Example[];
  onEpoch?(info: EpochInfo): void;
  /** Fine-tune from this model: keeps its features and transferable weights, maps per-tool weights by name. */
  from?: PlannerModel;
  /** Epochs without dev improvement before stopping. Default 4. */
  patience?: number;
  batchSize?: number;
  learningRate?: number;
  hidden?: number;
  /** Hashed feature space (smaller for tests; fixed by `from` when fine-tuning). */
  features?: FeatureConfig;
  /** Architecture switches (ablation). */
  gnn?: boolean;
  toolIdEmbedding?: boolean;
  retrieval?: boolean;
  attention?: boolean;
  tokenContext?: boolean;
  setHead?: boolean;
  beamWidth?: number;
  /** Share of input features dropped per training example (default 0.25) and hidden dropout (default 0.4). */
  inputDropout?: number;
  dropout?: number;
  /**
   * Weight of the auxiliary loss that names the worker of each sub-task text (examples' `steps`; 0 =
   * off). Default 1: in bench:planner the 3-seed ensemble's dev NF/LF/Acc went from 85.54/63.59/63.70
   * to 85.92/65.06/65.35, and bench:planner-cv puts removing it (and with it the clause coverage its
   * head drives at decoding) at NF -1.36 +- 0.37. Examples without steps (the default catalog's) are
   * unaffected.
   */
  stepTextWeight?: number;
  /**
   * Pretrained word vectors (e.g. `loadPackagedWordVectors()`): the model keeps those of its training
   * texts and catalog plus the `commonWords` most frequent (default 10,000). Fixed by `from` when fine-tuning.
   */
  wordVectors?: WordVectorTable;
  commonWords?: number;
  /** Multiply the learning rate by this after an epoch without dev improvement (default 0.5; 1 = off). */
  lrDecay?: number;
  /**
   * Replays a schedule instead of early stopping: exactly `epochs` epochs, the learning rate decayed
   * after each epoch in `decayAfter`. Used to refit on train + dev what a dev run chose (see `trainSchedule`).
   */
  schedule?: TrainSchedule;
}

/** The epochs and learning-rate decays a dev run kept, replayable without dev. */
export interface TrainSchedule { epochs: number; decayAfter: number[] }

/**
 * The schedule an early-stopped run kept, from its per-epoch reports: its best epoch, and the epochs
 * before it after which the learning rate was decayed (those without dev improvement).
 *
 * @example
 * const infos: EpochInfo[] = []; await train(ex, cat, { dev, onEpoch: (i) => infos.push(i) }); trainSchedule(infos)
 */
export function trainSchedule(infos: readonly EpochInfo[]): TrainSchedule {
  const best = infos.reduce((b, i) => (i.best ? i.epoch : b), 1);
  return { epochs: best, decayAfter: infos.filter((i) => !i.best && i.epoch < best).map((i) => i.epoch) };
}

function checkExamples(examples: readonly Example[], index: Map<string, number>, what: string): void {
  for (const e of examples) {
    for (const n of e.nodes) if (!index.has(n)) throw new Error(`train: ${what} example "${e.id}" uses worker "${n}", which is not in the catalog`);
    if (e.nodes.length === 0) throw new Error(`train: ${what} example "${e.id}" has no nodes`);
  }
}

/** Per-tool weights of `from` mapped onto `catalog` by tool name; unknown tools get the mean row (a neutral prior). */
function adaptWeights(from: PlannerModel, catalog: Catalog): Weights {
  const w = cloneWeights(from.weights);
  const oldIndex = new Map(from.catalog.tools.map((t, i) => [t.name, i]));
  const N = catalog.tools.length;
  for (const name of CATALOG_WEIGHTS) {
    const old = from.weights[name];
    const width = old.shape.length === 2 ? old.shape[1] : 1;
    const oldN = old.shape[0];
    const mean = new Float32Array(width);
    for (let i = 0; i < oldN; i++) for (let k = 0; k < width; k++) mean[k] += old.data[i * width + k] / Math.max(1, oldN);
    const data = new Float32Array(N * width);
    catalog.tools.forEach((t, i) => {
      const j = oldIndex.get(t.name);
      for (let k = 0; k < width; k++) data[i * width + k] = j === undefined ? mean[k] : old.data[j * width + k];
    });
    w[name] = { shape: old.shape.length === 2 ? [N, width] : [N], data };
  }
  return w;
}

/**
 * Rebinds a trained model to another catalog without training: per-tool weights carry over by name,
 * new tools are scored through their descriptions and graph (zero-shot).
 *
 * @example
 * const zeroShot = adaptModel(model, fullCatalog); zeroShot.plan('...')
 */
export function adaptModel(from: PlannerModel, catalog: Catalog): PlannerModel {
  return buildModel({ config: from.config, decode: from.decode, catalog, idf: from.idf, weights: adaptWeights(from, catalog), threshold: from.threshold, memory: from.memory });
}

/**
 * Picks the low-confidence threshold on dev: the cut that best separates wrong plans (node F1 < 0.99)
 * from right ones (Youden's J: share of wrong plans flagged minus share of right plans flagged).
 *
 * @example
 * const threshold = calibrateThreshold([{ confidence: 0.9, right: true }, { confidence: 0.2, right: false }]) // 0.9
 */
export function calibrateThreshold(scored: readonly { confidence: number; right: boolean }[]): number {
  const nRight = scored.filter((s) => s.right).length, nWrong = scored.length - nRight;
  if (nRight === 0 || nWrong === 0) return nWrong === 0 ? 0 : 1;
  const cuts = [...new Set(scored.map((s) => s.confidence))].sort((a, b) => a - b);
  let best = 0, bestJ = -Infinity;
  for (const c of cuts) {
    let wrongFlagged = 0, rightFlagged = 0;
    for (const s of scored) if (s.confidence < c) { if (s.right) rightFlagged++; else wrongFlagged++; }
    const j = wrongFlagged / nWrong - rightFlagged / nRight;
    if (j > bestJ) { bestJ = j; best = c; }
  }
  return best;
}

/** Clause-coverage weights tried on dev (0 first, so a tie keeps it off). */
const COVERAGE_WEIGHTS = [0, 1, 2, 3];

/** Coverage weights worth trying: only a model with a trained sub-task-text head has any. */
function coverageWeights(model: PlannerModel): number[] {
  return model.config.stepTextHead ? COVERAGE_WEIGHTS : [0];
}

function devScore(m: PlanMetrics): number {
  return m.nodeF1 + m.linkF1 + m.accuracy;
}

/**
 * The decoding among `choices` whose plans of `dev` score best (NF + LF + Acc; the earlier choice wins
 * a tie), returned with those plans so the threshold can be calibrated without planning dev again.
 */
function bestDecodingOnDev(plan: (request: string, o: Partial<DecodeOptions>) => Plan, choices: readonly Partial<DecodeOptions>[], dev: readonly Example[], catalog: Catalog): { decode: Partial<DecodeOptions>; plans: Plan[] } {
  let best = { decode: choices[0], plans: [] as Plan[] }, bestScore = -Infinity;
  for (const decode of choices) {
    const plans = dev.map((e) => plan(e.request, decode));
    const score = devScore(scorePlans(plans, dev, catalog));
    if (score > bestScore + 1e-9) { bestScore = score; best = { decode, plans }; }
  }
  return best;
}

/** The low-confidence threshold from plans of `examples` (see `calibrateThreshold`). */
function thresholdFor(plans: readonly Plan[], examples: readonly Example[], catalog: Catalog): number {
  return calibrateThreshold(plans.map((p, i) => ({ confidence: p.confidence, right: scorePlans([p], [examples[i]], catalog).accuracy === 1 })));
}

/**
 * Trains (or fine-tunes, with `from`) a planner on `examples` over `catalog`. Deterministic for a given
 * seed. With `dev`, keeps the epoch with the best dev NF + LF + Acc, stops after `patience` epochs
 * without improvement, and calibrates the low-confidence threshold on dev.
 *
 * @example
 * const model = await train(trainExamples, catalog, { dev: devExamples, onEpoch: (i) => console.log(i.epoch, i.loss) });
 */
export async function train(examples: readonly Example[], catalog: Catalog, options: TrainOptions = {}): Promise<PlannerModel> {
  const tf = await initTf();
  if (examples.length === 0) throw new Error('train: no training examples');
  const graph = toolGraph(catalog);
  checkExamples(examples, graph.index, 'training');
  if (options.dev) checkExamples(options.dev, graph.index, 'dev');
  const seed = options.seed ?? 42;
  const from = options.from;
  const longest = Math.max(...examples.map((e) => e.nodes.length));
  let config: ModelConfig;
  let idf: Float32Array;
  let weights: Weights;
  if (from) {
    config = from.config;
    idf = from.idf;
    weights = adaptWeights(from, catalog);
  } else {
    config = {
      features: options.features ?? DEFAULT_FEATURES,
      hidden: options.hidden ?? 128,
      maxNodes: Math.max(2, longest),
      gnn: options.gnn ?? true,
      toolIdEmbedding: options.toolIdEmbedding ?? true,
      maxGap: 4,
      retrieval: options.retrieval ?? true,
      memoryK: 10,
      attention: options.attention ?? true,
      maxTokens: 96,
      tokenContext: options.tokenContext ?? false,
      setHead: options.setHead ?? false,
    };
    idf = fitIdf([...examples.map((e) => e.request), ...catalog.tools.map(toolText)], config.features);
    let kept: WordVectorTable | undefined;
    if (options.wordVectors) {
      const texts = [...examples.flatMap((e) => [e.request, ...(e.steps ?? []).map((s) => s.text)]), ...catalog.tools.map(toolText)];
      kept = restrictWordVectors(options.wordVectors, texts, options.commonWords ?? 10_000);
      config.wordVectors = { dim: kept.dim, words: kept.words };
    }
    weights = initWeights(config, catalog.tools.length, seed);
    if (kept) weights.wordVec = { shape: [kept.words.length, kept.dim], data: kept.vectors };
  }
  const allDeps = examples.map(goldDependencies);
  // The memory is the training examples (plus, when fine-tuning, everything the base model remembered).
  // An example already remembered (e.g. replayed when fine-tuning) is not stored twice.
  const memory: MemoryData = from ? structuredClone(from.memory) : memoryFromExamples([]);
  const known = new Map(memory.requests.map((r, i) => [r + '\u0000' + memory.plans[i].join(','), i]));
  const memoryIndex = examples.map((e) => {
    const key = e.request + '\u0000' + e.nodes.join(',');
    let at = known.get(key);
    if (at === undefined) {
      at = memory.requests.length;
      remember(memory, e);
      known.set(key, at);
    }
    return at;
  });
  const retrieval = config.retrieval ? new RetrievalMemory(memory, catalog, config.memoryK) : undefined;
  // Leave-one-out neighbours: a training request must not find itself.
  const neighbours = examples.map((e, i) => retrieval?.neighbours(e.request, memoryIndex[i]) ?? []);
  const decode: DecodeOptions = {
    beamWidth: options.beamWidth ?? from?.decode.beamWidth ?? 4,
    maxNodes: config.maxNodes,
    constrainToGraph: true,
    allowRepeats: (from?.decode.allowRepeats ?? false) || examples.some((e) => new Set(e.nodes).size < e.nodes.length),
    allowExtraRoots: (from?.decode.allowExtraRoots ?? false) || allDeps.some((d) => d.slice(1).some((x) => x.length === 0)),
    // Fine-tuning keeps the base model's clause-coverage weight unless a dev split tunes it again.
    ...(from?.decode.coverageWeight !== undefined && { coverageWeight: from.decode.coverageWeight }),
  };

  const H = config.hidden, N = catalog.tools.length, P = config.maxNodes + 1, G = config.maxGap;
  const feats: SparseVec[] = examples.map((e) => featurize(e.request, config.features, idf));
  const tokenFeats: SparseVec[][] = config.attention ? examples.map((e) => tokenFeatures(e.request, config.features, idf, config.maxTokens, config.tokenContext ?? false)) : [];
  const toolFeats: SparseVec[] = catalog.tools.map((t) => featurize(toolText(t), config.features, idf));
  // The word-vector view of every text, as row mixes of the model's vectors (see WordVectorIndex).
  const wv = config.wordVectors ? new WordVectorIndex({ ...config.wordVectors, vectors: weights.wordVec.data }) : undefined;
  const vecWeight = wordIdf(idf, config.features);
  const gExamples = wv ? wv.dense(examples.map((e) => wv.textMix(e.request, vecWeight))) : undefined;
  const gToolsData = wv ? wv.dense(catalog.tools.map((t) => wv.textMix(toolText(t), vecWeight))) : undefined;
  const tokVecRows = wv && config.attention ? examples.map((e) => wv.tokenRows(e.request, config.maxTokens)) : [];
  const stepTextWeight = options.stepTextWeight ?? 1;
  // Sub-task texts whose worker is in the catalog, per example (none when the data has no steps).
  const stepFeats: { x: SparseVec; g?: Float32Array; tool: number }[][] = examples.map((e) => stepTextWeight > 0
    ? (e.steps ?? []).filter((s) => graph.index.has(s.worker)).map((s) => ({
      x: featurize(s.text, config.features, idf),
      g: wv?.dense([wv.textMix(s.text, vecWeight)]),
      tool: graph.index.get(s.worker)!,
    }))
    : []);
  // A model saved before the sub-task-text loss existed has no Wst; fine-tuning it starts that head fresh.
  if (stepTextWeight > 0 && !weights.Wst) weights.Wst = initWeights(config, catalog.tools.length, seed).Wst;
  // Only a head that has seen sub-task texts may steer decoding (see DecodeOptions.coverageWeight).
  if (stepFeats.some((fs) => fs.length > 0)) config = { ...config, stepTextHead: true };
  const inMean = tf.tensor2d(graph.inMean, [N, N]);
  const outMean = tf.tensor2d(graph.outMean, [N, N]);
  const gTools = wv ? tf.tensor2d(gToolsData!, [N, wv.dim]) : undefined;
  const vars: Record<string, TF.Variable> = {};
  for (const [k, v] of Object.entries(weights)) if (!FIXED_WEIGHTS.has(k)) vars[k] = newVariable(tf, () => tf.tensor(v.data, v.shape));
  const lr = options.learningRate ?? 4e-3;
  const optimizer = tf.train.adam(lr);
  const sparseAdam = new SparseAdam(weights.W1.data, H, lr);
  const rand = seededRandom(seed + 1);
  const batchSize = options.batchSize ?? 64;
  const schedule = options.schedule;
  if (schedule && options.dev) throw new Error('train: a replayed schedule and a dev split are exclusive (the schedule already comes from a dev run)');
  const maxEpochs = schedule ? schedule.epochs : options.epochs ?? 40;
  const patience = options.patience ?? 4;

  // Both optimizers (tfjs Adam for the dense weights, ours for the sparse input layer) decay together.
  const decayLearningRate = () => {
    const decay = options.lrDecay ?? 0.5;
    sparseAdam.lr *= decay;
    (optimizer as any).learningRate *= decay;
  };
  const syncWeights = () => {
    for (const [k, v] of Object.entries(vars)) weights[k] = { shape: v.shape as number[], data: v.dataSync().slice() as Float32Array };
  };
  const snapshot = (threshold: number) => buildModel({ config, decode, catalog, idf, weights: cloneWeights(weights), threshold, memory });

  let best: PlannerModel | undefined;
  let bestScore = -Infinity, sinceBest = 0, step = 0;
  try {
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const t0 = Date.now();
      const order = shuffled(examples.map((_, i) => i), seed * 1000 + epoch);
      let lossSum = 0, batches = 0;
      for (let b0 = 0; b0 < order.length; b0 += batchSize) {
        const ids = order.slice(b0, b0 + batchSize);
        const B = ids.length;
        const xs = sparseTimesDense(ids.map((i) => feats[i]), weights.W1.data, H, options.inputDropout ?? 0.25, rand);
        const ts = sparseTimesDense(toolFeats, weights.W1.data, H);
        // Decoder steps and dependency pairs as one-hot selection matrices.
        const steps: { ex: number; t: number; nodes: number[]; i: number }[] = [];
        const pairs: { s: number; t: number; gap: number; y: number }[] = [];
        ids.forEach((i, r) => {
          const nodes = examples[i].nodes.slice(0, config.maxNodes).map((n) => graph.index.get(n)!);
          for (let t = 0; t <= nodes.length; t++) steps.push({ ex: r, t, nodes, i });
          const deps = allDeps[i];
          for (let t = 1; t < nodes.length; t++) for (let s = 0; s < t; s++) {
            pairs.push({ s: nodes[s], t: nodes[t], gap: Math.min(t - s, G) - 1, y: deps[t].includes(s) ? 1 : 0 });
          }
        });
        const S = steps.length, Q = pairs.length;
        const batch0: Partial<BatchTensors> = {};
        const sel = new Float32Array(S * B), prev = new Float32Array(S * N), start = new Float32Array(S);
        const bag = new Float32Array(S * N), pos = new Float32Array(S * P), y = new Float32Array(S * (N + 1));
        steps.forEach(({ ex, t, nodes }, r) => {
          sel[r * B + ex] = 1;
          if (t === 0) start[r] = 1; else prev[r * N + nodes[t - 1]] = 1;
          for (let s = 0; s < t; s++) bag[r * N + nodes[s]] += 1 / t;
          pos[r * P + Math.min(t, config.maxNodes)] = 1;
          y[r * (N + 1) + (t < nodes.length ? nodes[t] : N)] = 1;
        });
        if (config.setHead) {
          const setY = new Float32Array(B * N), emitted = new Float32Array(S * N);
          ids.forEach((i, r) => { for (const n of examples[i].nodes) setY[r * N + graph.index.get(n)!] = 1; });
          steps.forEach(({ t, nodes }, r) => { for (let s = 0; s < t; s++) emitted[r * N + nodes[s]] = 1; });
          batch0.setY = tf.tensor2d(setY, [B, N]);
          batch0.emitted = tf.tensor2d(emitted, [S, N]);
        }
        if (retrieval) {
          const nextP = new Float32Array(S * (N + 1)), setP = new Float32Array(S * (N + 1));
          steps.forEach(({ t, nodes, i }, r) => {
            const pr = retrieval.priors(neighbours[i], nodes.slice(0, t), N);
            nextP.set(pr.next, r * (N + 1));
            setP.set(pr.set, r * (N + 1));
          });
          batch0.nextPrior = tf.tensor2d(nextP, [S, N + 1]);
          batch0.setPrior = tf.tensor2d(setP, [S, N + 1]);
        }
        let tokRows: SparseVec[] = [];
        if (config.attention) {
          // Pad every instruction to the batch's longest; pads are empty rows, masked out of the softmax.
          const L = Math.max(1, ...ids.map((i) => tokenFeats[i].length));
          const T = config.maxNodes + 1;
          const empty: SparseVec = { idx: new Int32Array(0), val: new Float32Array(0) };
          tokRows = [];
          const mask = new Float32Array(B * L);
          ids.forEach((i, r) => {
            for (let p = 0; p < L; p++) {
              const tk = tokenFeats[i][p];
              tokRows.push(tk ?? empty);
              if (!tk) mask[r * L + p] = -1e9;
            }
          });
          const tokOut = sparseTimesDense(tokRows, weights.W1.data, H);
          tokRows = tokOut.used;
          const map = new Float32Array(S * B * T);
          steps.forEach(({ ex, t }, r) => { map[r * B * T + ex * T + Math.min(t, T - 1)] = 1; });
          batch0.tok = newVariable(tf, () => tf.tensor3d(tokOut.out, [B, L, H]));
          batch0.tokMask = tf.tensor3d(mask, [B, 1, L]);
          batch0.stepMap = tf.tensor2d(map, [S, B * T]);
          if (wv) {
            const g = new Float32Array(B * L * wv.dim);
            ids.forEach((i, r) => tokVecRows[i].forEach((row, p) => {
              if (row >= 0) g.set(wv.unit.subarray(row * wv.dim, (row + 1) * wv.dim), (r * L + p) * wv.dim);
            }));
            batch0.gtok = tf.tensor2d(g, [B * L, wv.dim]);
          }
          batch0.T = T;
        }
        let stepRows: SparseVec[] = [];
        const batchSteps = ids.flatMap((i) => stepFeats[i]);
        if (batchSteps.length > 0) {
          const st = sparseTimesDense(batchSteps.map((s) => s.x), weights.W1.data, H, options.inputDropout ?? 0.25, rand);
          stepRows = st.used;
          const oneHot = new Float32Array(batchSteps.length * N);
          batchSteps.forEach((s, r) => { oneHot[r * N + s.tool] = 1; });
          batch0.stepText = newVariable(tf, () => tf.tensor2d(st.out, [batchSteps.length, H]));
          batch0.stepWorker = tf.tensor2d(oneHot, [batchSteps.length, N]);
          if (wv) {
            const g = new Float32Array(batchSteps.length * wv.dim);
            batchSteps.forEach((s, r) => g.set(s.g!, r * wv.dim));
            batch0.gstep = tf.tensor2d(g, [batchSteps.length, wv.dim]);
          }
        }
        if (wv) {
          const g = new Float32Array(B * wv.dim);
          ids.forEach((i, r) => g.set(gExamples!.subarray(i * wv.dim, (i + 1) * wv.dim), r * wv.dim));
          batch0.gx = tf.tensor2d(g, [B, wv.dim]);
          batch0.gt = gTools;
        }
        const U = newVariable(tf, () => tf.tensor2d(xs.out, [B, H]));
        const UT = newVariable(tf, () => tf.tensor2d(ts.out, [N, H]));
        const batch: BatchTensors = {
          ...batch0,
          U, UT, inMean, outMean,
          sel: tf.tensor2d(sel, [S, B]), prev: tf.tensor2d(prev, [S, N]), startMask: tf.tensor2d(start, [S, 1]),
          bag: tf.tensor2d(bag, [S, N]), pos: tf.tensor2d(pos, [S, P]), y: tf.tensor2d(y, [S, N + 1]),
        };
        if (Q > 0) {
          const ps = new Float32Array(Q * N), pt = new Float32Array(Q * N), gp = new Float32Array(Q * G), dy = new Float32Array(Q);
          pairs.forEach((p, r) => { ps[r * N + p.s] = 1; pt[r * N + p.t] = 1; gp[r * G + p.gap] = 1; dy[r] = p.y; });
          batch.ps = tf.tensor2d(ps, [Q, N]); batch.pt = tf.tensor2d(pt, [Q, N]); batch.gap = tf.tensor2d(gp, [Q, G]); batch.dep = tf.tensor2d(dy, [Q, 1]);
        }
        step++;
        const varList = [...Object.values(vars), U, UT, ...(batch.tok ? [batch.tok] : []), ...(batch.stepText ? [batch.stepText] : [])];
        let gInput: Float32Array = new Float32Array(0);
        // Everything the step allocates (gradients, optimizer temporaries) is freed by the tidy; a
        // leak of a few tensors per batch exhausted the wasm heap over several trainings in one process.
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => batchLoss(tf, vars, batch, config, { dropout: options.dropout ?? 0.4, seed: seed * 100003 + step, depWeight: 0.5, stepTextWeight }), varList);
          lossSum += value.dataSync()[0];
          const gU = grads[U.name].dataSync() as Float32Array;
          const gUT = grads[UT.name].dataSync() as Float32Array;
          const gTok = batch.tok ? (grads[batch.tok.name].dataSync() as Float32Array) : new Float32Array(0);
          const gStep = batch.stepText ? (grads[batch.stepText.name].dataSync() as Float32Array) : new Float32Array(0);
          gInput = concat(concat(concat(gU, gUT), gTok), gStep);
          const paramGrads: Record<string, TF.Tensor> = {};
          for (const v of Object.values(vars)) if (grads[v.name]) paramGrads[v.name] = grads[v.name];
          optimizer.applyGradients(paramGrads as any);
        });
        batches++;
        sparseAdam.step([...xs.used, ...ts.used, ...tokRows, ...stepRows], gInput);
        if (batch.stepText) tf.dispose([batch.stepText, batch.stepWorker!]);
        for (const g of [batch.gx, batch.gtok, batch.gstep]) g?.dispose();
        if (batch.nextPrior) tf.dispose([batch.nextPrior, batch.setPrior!]);
        if (batch.setY) tf.dispose([batch.setY, batch.emitted!]);
        if (batch.tok) tf.dispose([batch.tok, batch.tokMask!, batch.stepMap!]);
        tf.dispose([U, UT, batch.sel, batch.prev, batch.startMask, batch.bag, batch.pos, batch.y]);
        if (batch.ps) tf.dispose([batch.ps, batch.pt!, batch.gap!, batch.dep!]);
      }
      syncWeights();
      let dev: PlanMetrics | undefined;
      let isBest = true;
      if (options.dev && options.dev.length > 0) {
        const m = snapshot(0);
        dev = scorePlans(options.dev.map((e) => m.plan(e.request)), options.dev, catalog);
        const score = devScore(dev);
        isBest = score > bestScore;
        if (isBest) { bestScore = score; best = m; sinceBest = 0; } else {
          sinceBest++;
          decayLearningRate();
        }
      } else {
        best = snapshot(0);
        if (schedule?.decayAfter.includes(epoch)) decayLearningRate();
      }
      options.onEpoch?.({ epoch, of: maxEpochs, loss: lossSum / Math.max(1, batches), dev, ms: Date.now() - t0, best: isBest });
      if (options.dev && sinceBest >= patience) break;
    }
  } finally {
    tf.dispose([inMean, outMean, ...Object.values(vars)]);
    gTools?.dispose();
    optimizer.dispose();
  }
  const model = best!;
  if (options.dev && options.dev.length > 0) {
    // Teacher forcing never sees the model's own early stops; a stop offset tuned on dev corrects the plan length.
    // Clause coverage also moves plan length, so its weight is tuned with the offset.
    const choices = coverageWeights(model).flatMap((coverageWeight) => [-1.5, -1, -0.5, 0, 0.5, 1].map((stopOffset) => ({ stopOffset, coverageWeight })));
    const { decode, plans } = bestDecodingOnDev((r, o) => model.plan(r, o), choices, options.dev, catalog);
    model.decode = { ...model.decode, ...decode };
    model.threshold = thresholdFor(plans, options.dev, catalog);
  } else {
    model.threshold = thresholdFor(examples.map((e) => model.plan(e.request)), examples, catalog);
  }
  return model;
}

/** A trainable variable whose initial tensor is freed (tf.variable copies it, and the original would leak). */
function newVariable(tf: typeof TF, init: () => TF.Tensor): TF.Variable {
  const t = init();
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a); out.set(b, a.length);
  return out;
}

/** What `trainEnsemble` adds to the single-model options. */
export interface EnsembleTrainOptions extends TrainOptions {
  /** Member count; member k trains with seed + k. Default 3. */
  members?: number;
  /** Pooling of member scores (default 'logprob'; see `EnsembleCombine`). */
  combine?: EnsembleCombine;
  /**
   * Beam width of the ensemble. Default 5: on the UltraTool dev split, 3 members scored NF/LF/Acc
   * 85.54/63.42/63.70 at width 5 with MBR choice vs 84.92/62.11/63.37 at width 3 (MAP: 85.14 vs 84.99 NF).
   */
  ensembleBeamWidth?: number;
  /**
   * Threads that train members side by side (each model trains on one core). Default: the members'
   * count or the cores available, whichever is smaller; 1 trains them one after another in this thread.
   * Either way every member is the same: it depends only on its seed.
   */
  workers?: number;
  /** Called after each member with its index (0-based), the model and its training time. */
  onMember?(index: number, model: PlannerModel, seconds: number): void;
  /**
   * With `dev`: after the dev run has fixed each member's epochs and learning-rate schedule and the
   * ensemble's decoding and threshold, retrain every member on examples + dev with that schedule, so
   * the shipped model has learned from every labelled request. Default false.
   */
  refit?: boolean;
  /** Called after each refitted member. */
  onRefit?(index: number, model: PlannerModel, seconds: number): void;
  /** With `refit`: called with the calibrated dev-run ensemble (members trained without dev) before the refit. */
  onDevRun?(ensemble: EnsembleModel): void;
}

/** Runs training jobs on a pool of threads, or one after another in this thread. */
function memberTrainer(threads: number): { run(examples: readonly Example[], catalog: Catalog, options: TrainOptions): Promise<{ model: PlannerModel; seconds: number }>; close(): Promise<void> } {
  if (threads > 1) {
    const pool = new TrainPool(threads);
    return { run: (ex, cat, o) => pool.train(ex, cat, o), close: () => pool.close() };
  }
  // One at a time: two trainings interleaved on one thread would only share its core and its memory.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(ex, cat, o) {
      const job = tail.then(async () => {
        const t0 = Date.now();
        const model = await train(ex, cat, o);
        return { model, seconds: (Date.now() - t0) / 1000 };
      });
      tail = job.catch(() => undefined);
      return job;
    },
    close: async () => undefined,
  };
}

/**
 * Trains `members` planners that differ only in their seed (initialisation, shuffling, dropout) and
 * pools them in beam search. With `dev`, each member early-stops on dev, and the ensemble's stop
 * offset, plan-choice rule and low-confidence threshold are calibrated on dev like a single model's;
 * with `refit` too, each member is then retrained on examples + dev with the schedule dev chose for
 * it. Members (and each member's refit, as soon as its dev run ends) train on `workers` threads.
 *
 * @example
 * const ens = await trainEnsemble(trainExamples, catalog, { dev: devExamples, members: 3, refit: true }); ens.plan('...')
 */
export async function trainEnsemble(examples: readonly Example[], catalog: Catalog, options: EnsembleTrainOptions = {}): Promise<EnsembleModel> {
  const K = options.members ?? 3;
  if (!Number.isInteger(K) || K < 1) throw new Error(`trainEnsemble: members must be a positive integer, got ${K}`);
  const threads = options.workers ?? Math.min(K, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`trainEnsemble: workers must be a positive integer, got ${threads}`);
  const { members: _k, combine, ensembleBeamWidth, workers: _w, onMember, refit, onRefit, onDevRun, onEpoch, ...single } = options;
  const seed = options.seed ?? 42;
  const dev = options.dev ?? [];
  const trainer = memberTrainer(threads);
  try {
    const devRuns = Array.from({ length: K }, async (_, k) => {
      const infos: EpochInfo[] = [];
      const { model, seconds } = await trainer.run(examples, catalog, { ...single, seed: seed + k, onEpoch: (i) => { infos.push(i); onEpoch?.({ ...i, member: k }); } });
      onMember?.(k, model, seconds);
      return { model, schedule: trainSchedule(infos) };
    });
    const all = [...examples, ...dev];
    // A member's refit needs only its own dev run's schedule (decoding is tuned on the dev-run ensemble
    // and carried over), so it starts while the other members and the calibration still run.
    const refits = refit && dev.length > 0 ? devRuns.map((run, k) => run.then(async ({ model: devModel, schedule }) => {
      const { model, seconds } = await trainer.run(all, catalog, { ...single, dev: undefined, seed: seed + k, schedule, onEpoch: (i) => onEpoch?.({ ...i, member: k, refit: true }) });
      model.decode = { ...devModel.decode };
      model.threshold = devModel.threshold;
      onRefit?.(k, model, seconds);
      return model;
    })) : [];
    // Should a dev run fail, its refit fails too; that is reported through the dev run, not as unhandled.
    for (const r of refits) r.catch(() => undefined);
    const members = (await Promise.all(devRuns)).map((r) => r.model);
    const ens = calibrateEnsemble(
      buildEnsemble(members, { combine, decode: { beamWidth: ensembleBeamWidth ?? 5 } }),
      dev.length > 0 ? dev : examples, catalog, dev.length > 0,
    );
    if (refits.length === 0) return ens;
    onDevRun?.(ens);
    return buildEnsemble(await Promise.all(refits), { combine: ens.combine, decode: ens.decode, threshold: ens.threshold });
  } finally {
    await trainer.close();
  }
}

/**
 * Clause-coverage weight of an ensemble whose members have the sub-task-text head. Fixed rather than
 * tuned: see `calibrateEnsemble`.
 */
export const ENSEMBLE_COVERAGE_WEIGHT = 2;

/**
 * Weight of node F1 in an ensemble's MBR choice (see `DecodeOptions.mbrNodeWeight`). Fixed from
 * cross-validation, not tuned on dev: `ORCHESTAI_CV_MEMBERS=3
 * ORCHESTAI_CV_VARIANTS=word-vectors,mbr-node-weight-1 npm run bench:planner-cv` (3,027 held-out
 * requests) put weight 3 over weight 1 at NF +0.19 +- 0.05, LF +0.25 +- 0.09, Acc +0.10 +- 0.12.
 * In a one-off scan of weights 2 to 8 at fixed stop offsets, weights above 3 gained more NF but began
 * to cost accuracy.
 */
export const ENSEMBLE_MBR_NODE_WEIGHT = 3;

/**
 * Share of the step memory in the clause distributions of an ensemble's clause coverage (see
 * `DecodeOptions.stepMemoryWeight`). Fixed from cross-validation, not tuned on dev:
 * `ORCHESTAI_CV_MEMBERS=3 ORCHESTAI_CV_VARIANTS=word-vectors,no-step-memory npm run
 * bench:planner-cv` (3,027 held-out requests) put the head alone at NF -0.19 +- 0.13, LF -0.22 +-
 * 0.17, Acc -0.43 +- 0.23 against this mix. In a one-off scan on saved fold ensembles, shares 0.2 to
 * 0.4 all helped at every fixed stop offset, 0.3 the most; at 0.5 and above node F1 stopped gaining.
 * Single models keep the head alone (their mix was not measured).
 */
export const ENSEMBLE_STEP_MEMORY_WEIGHT = 0.3;

/**
 * Sets an ensemble's decoding and its low-confidence threshold on `examples`, like `train` does for
 * one model. The plan is chosen by MBR (node F1 weighted `ENSEMBLE_MBR_NODE_WEIGHT`), with clause
 * coverage at `ENSEMBLE_COVERAGE_WEIGHT` when the members have the sub-task-text head (its clause
 * distributions mixed with the step memory at `ENSEMBLE_STEP_MEMORY_WEIGHT` when they remember
 * sub-task texts); only the stop offset is tuned (with `tuneOffset`: it needs held-out examples).
 *
 * Why so little is tuned: a dev split of a few hundred requests cannot choose between decodings less
 * than a point apart. In 3-fold cross-validation of 3-member ensembles with word vectors over the
 * 3,027 UltraTool training ids, tuning MAP/MBR, coverage weight (0-3) and offset together on each
 * fold's dev split (the calibration up to commit b3c5c13) picked MAP for 1 of 3 folds and scored
 * held-out NF 82.10, against 81.88 for this rule (`ORCHESTAI_CV_MEMBERS=3 npm run bench:planner-cv`):
 * no better, at eight times the calibration cost. MBR is also the choice that maximises the
 * expected per-request F1, the metric planning is judged by.
 *
 * @example
 * calibrateEnsemble(buildEnsemble(models), devExamples, catalog, true)
 */
export function calibrateEnsemble(ens: EnsembleModel, examples: readonly Example[], catalog: Catalog, tuneOffset: boolean): EnsembleModel {
  const coverageWeight = ens.members.some((m) => m.config.stepTextHead) ? ENSEMBLE_COVERAGE_WEIGHT : 0;
  const stepMemoryWeight = coverageWeight > 0 && ens.members.some((m) => m.steps) ? ENSEMBLE_STEP_MEMORY_WEIGHT : 0;
  ens.decode = { ...ens.decode, select: 'mbr', coverageWeight, mbrNodeWeight: ENSEMBLE_MBR_NODE_WEIGHT, stepMemoryWeight };
  let plans: Plan[];
  if (tuneOffset) {
    const best = bestDecodingOnDev((r, o) => ens.plan(r, o), [-2, -1.5, -1, -0.5, 0, 0.5, 1].map((stopOffset) => ({ stopOffset })), examples, catalog);
    ens.decode = { ...ens.decode, ...best.decode };
    plans = best.plans;
  } else {
    plans = examples.map((e) => ens.plan(e.request));
  }
  ens.threshold = thresholdFor(plans, examples, catalog);
  return ens;
}
