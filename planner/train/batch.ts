import type * as TF from '@tensorflow/tfjs';
import type { SparseVec } from '../encode/features.ts';
import type { BatchTensors } from '../model/network.ts';
import type { ModelConfig } from '../model/params.ts';
import { sparseTimesDense } from '../model/sparse.ts';
import type { TrainingData } from './data.ts';

/** Tensors every batch of a run shares: the tool graph's aggregators and the tools' word-vector view. */
export interface SharedTensors { inMean: TF.Tensor; outMean: TF.Tensor; gTools?: TF.Tensor }

/** How a batch reads the sparse input layer: its weights W1 [D, H], and the input-feature dropout. */
export interface InputLayer {
  W1: Float32Array;
  H: number;
  dropout: number;
  /** Drawn for every feature of every instruction and sub-task text, batch after batch. */
  rand: () => number;
}

/** A batch ready for one optimisation step. */
export interface Batch {
  tensors: BatchTensors;
  /**
   * The input-layer rows behind the batch's instruction, tool, token and sub-task-text pre-activations
   * (after dropout), in that order: the order of their gradients' rows, which the sparse optimizer
   * applies to W1.
   */
  inputRows: SparseVec[];
}

/** One decoder step of teacher forcing: example `i` (row `ex` of the batch) after its first `t` nodes. */
interface DecoderStep { ex: number; t: number; nodes: number[]; i: number }

/** One dependency target: may the later node (tool `t`) depend on the earlier one (tool `s`), `gap` positions back? */
interface DependencyPair { s: number; t: number; gap: number; y: number }

/**
 * A trainable variable whose initial tensor is freed (tf.variable copies it, and the original would leak).
 *
 * @example
 * const v = newVariable(tf, () => tf.zeros([2, 3]));
 */
export function newVariable(tf: typeof TF, init: () => TF.Tensor): TF.Variable {
  const t = init();
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

/** Decoder steps (one per node plus the stop) and dependency pairs of the batch's examples. */
function decoderSteps(ids: readonly number[], data: TrainingData, config: ModelConfig): { steps: DecoderStep[]; pairs: DependencyPair[] } {
  const steps: DecoderStep[] = [];
  const pairs: DependencyPair[] = [];
  ids.forEach((i, r) => {
    const nodes = data.examples[i].nodes.slice(0, config.maxNodes).map((n) => data.graph.index.get(n)!);
    for (let t = 0; t <= nodes.length; t++) steps.push({ ex: r, t, nodes, i });
    const deps = data.deps[i];
    for (let t = 1; t < nodes.length; t++) for (let s = 0; s < t; s++) {
      pairs.push({ s: nodes[s], t: nodes[t], gap: Math.min(t - s, config.maxGap) - 1, y: deps[t].includes(s) ? 1 : 0 });
    }
  });
  return { steps, pairs };
}

/** The decoder's inputs and targets per step as one-hot rows (see `BatchTensors`), still on the CPU. */
function decoderArrays(steps: readonly DecoderStep[], B: number, N: number, maxNodes: number) {
  const S = steps.length, P = maxNodes + 1;
  const sel = new Float32Array(S * B), prev = new Float32Array(S * N), start = new Float32Array(S);
  const bag = new Float32Array(S * N), pos = new Float32Array(S * P), y = new Float32Array(S * (N + 1));
  steps.forEach(({ ex, t, nodes }, r) => {
    sel[r * B + ex] = 1;
    if (t === 0) start[r] = 1; else prev[r * N + nodes[t - 1]] = 1;
    for (let s = 0; s < t; s++) bag[r * N + nodes[s]] += 1 / t;
    pos[r * P + Math.min(t, maxNodes)] = 1;
    y[r * (N + 1) + (t < nodes.length ? nodes[t] : N)] = 1;
  });
  return { sel, prev, start, bag, pos, y };
}

/** Set-head targets: each example's tools, and the tools emitted before each step. */
function setHeadInputs(tf: typeof TF, ids: readonly number[], steps: readonly DecoderStep[], data: TrainingData, N: number): Partial<BatchTensors> {
  const B = ids.length, S = steps.length;
  const setY = new Float32Array(B * N), emitted = new Float32Array(S * N);
  ids.forEach((i, r) => { for (const n of data.examples[i].nodes) setY[r * N + data.graph.index.get(n)!] = 1; });
  steps.forEach(({ t, nodes }, r) => { for (let s = 0; s < t; s++) emitted[r * N + nodes[s]] = 1; });
  return { setY: tf.tensor2d(setY, [B, N]), emitted: tf.tensor2d(emitted, [S, N]) };
}

/** Retrieval priors at each step, from the example's leave-one-out neighbours. */
function retrievalInputs(tf: typeof TF, steps: readonly DecoderStep[], data: TrainingData, N: number): Partial<BatchTensors> {
  const S = steps.length;
  const nextP = new Float32Array(S * (N + 1)), setP = new Float32Array(S * (N + 1));
  steps.forEach(({ t, nodes, i }, r) => {
    const pr = data.retrieval!.priors(data.neighbours[i], nodes.slice(0, t), N);
    nextP.set(pr.next, r * (N + 1));
    setP.set(pr.set, r * (N + 1));
  });
  return { nextPrior: tf.tensor2d(nextP, [S, N + 1]), setPrior: tf.tensor2d(setP, [S, N + 1]) };
}

/** Attention inputs: the batch's token pre-activations, their pad mask, each step's query slot, the tokens' word vectors. */
function attentionInputs(tf: typeof TF, ids: readonly number[], steps: readonly DecoderStep[], data: TrainingData, config: ModelConfig, input: InputLayer): { tensors: Partial<BatchTensors>; rows: SparseVec[] } {
  const { wv } = data;
  const B = ids.length, S = steps.length, H = input.H;
  // Pad every instruction to the batch's longest; pads are empty rows, masked out of the softmax.
  const L = Math.max(1, ...ids.map((i) => data.tokenFeats[i].length));
  const T = config.maxNodes + 1;
  const empty: SparseVec = { idx: new Int32Array(0), val: new Float32Array(0) };
  const tokRows: SparseVec[] = [];
  const mask = new Float32Array(B * L);
  ids.forEach((i, r) => {
    for (let p = 0; p < L; p++) {
      const tk = data.tokenFeats[i][p];
      tokRows.push(tk ?? empty);
      if (!tk) mask[r * L + p] = -1e9;
    }
  });
  const tokOut = sparseTimesDense(tokRows, input.W1, H);
  const map = new Float32Array(S * B * T);
  steps.forEach(({ ex, t }, r) => { map[r * B * T + ex * T + Math.min(t, T - 1)] = 1; });
  const tensors: Partial<BatchTensors> = {
    tok: newVariable(tf, () => tf.tensor3d(tokOut.out, [B, L, H])),
    tokMask: tf.tensor3d(mask, [B, 1, L]),
    stepMap: tf.tensor2d(map, [S, B * T]),
  };
  if (wv) {
    const g = new Float32Array(B * L * wv.dim);
    ids.forEach((i, r) => data.tokVecRows[i].forEach((row, p) => {
      if (row >= 0) g.set(wv.unit.subarray(row * wv.dim, (row + 1) * wv.dim), (r * L + p) * wv.dim);
    }));
    tensors.gtok = tf.tensor2d(g, [B * L, wv.dim]);
  }
  tensors.T = T;
  return { tensors, rows: tokOut.used };
}

/** The sub-task texts of the batch's examples (input dropout drawn here too) and their workers. */
function stepTextInputs(tf: typeof TF, ids: readonly number[], data: TrainingData, N: number, input: InputLayer): { tensors: Partial<BatchTensors>; rows: SparseVec[] } {
  const { wv } = data;
  const batchSteps = ids.flatMap((i) => data.stepTexts[i]);
  if (batchSteps.length === 0) return { tensors: {}, rows: [] };
  const R = batchSteps.length;
  const st = sparseTimesDense(batchSteps.map((s) => s.x), input.W1, input.H, input.dropout, input.rand);
  const oneHot = new Float32Array(R * N);
  batchSteps.forEach((s, r) => { oneHot[r * N + s.tool] = 1; });
  const tensors: Partial<BatchTensors> = {
    stepText: newVariable(tf, () => tf.tensor2d(st.out, [R, input.H])),
    stepWorker: tf.tensor2d(oneHot, [R, N]),
  };
  if (wv) {
    const g = new Float32Array(R * wv.dim);
    batchSteps.forEach((s, r) => g.set(s.g!, r * wv.dim));
    tensors.gstep = tf.tensor2d(g, [R, wv.dim]);
  }
  return { tensors, rows: st.used };
}

/** The word-vector view of the batch's instructions, and the tools'. */
function wordVectorInputs(tf: typeof TF, ids: readonly number[], data: TrainingData, shared: SharedTensors): Partial<BatchTensors> {
  const wv = data.wv!;
  const g = new Float32Array(ids.length * wv.dim);
  ids.forEach((i, r) => g.set(data.gExamples!.subarray(i * wv.dim, (i + 1) * wv.dim), r * wv.dim));
  return { gx: tf.tensor2d(g, [ids.length, wv.dim]), gt: shared.gTools };
}

/** Dependency pairs as one-hot rows (source tool, target tool, gap) and their labels. */
function dependencyInputs(tf: typeof TF, pairs: readonly DependencyPair[], N: number, G: number): Partial<BatchTensors> {
  const Q = pairs.length;
  const ps = new Float32Array(Q * N), pt = new Float32Array(Q * N), gp = new Float32Array(Q * G), dy = new Float32Array(Q);
  pairs.forEach((p, r) => { ps[r * N + p.s] = 1; pt[r * N + p.t] = 1; gp[r * G + p.gap] = 1; dy[r] = p.y; });
  return { ps: tf.tensor2d(ps, [Q, N]), pt: tf.tensor2d(pt, [Q, N]), gap: tf.tensor2d(gp, [Q, G]), dep: tf.tensor2d(dy, [Q, 1]) };
}

/**
 * The tensors of one teacher-forced batch of examples `ids`: the input layer's output for the
 * instructions (with input dropout) and tools, decoder steps and targets, dependency pairs, and the
 * inputs of the optional parts (set head, retrieval, attention, sub-task texts, word vectors). The
 * input dropout draws from `input.rand` for the instructions first, then the sub-task texts: that
 * order is part of what a seed reproduces.
 *
 * @example
 * const { tensors, inputRows } = buildBatch(tf, [3, 1, 4], data, config, input, shared);
 */
export function buildBatch(tf: typeof TF, ids: readonly number[], data: TrainingData, config: ModelConfig, input: InputLayer, shared: SharedTensors): Batch {
  const B = ids.length, N = data.catalog.tools.length, H = input.H;
  const xs = sparseTimesDense(ids.map((i) => data.feats[i]), input.W1, H, input.dropout, input.rand);
  const ts = sparseTimesDense(data.toolFeats, input.W1, H);
  const { steps, pairs } = decoderSteps(ids, data, config);
  const S = steps.length, P = config.maxNodes + 1;
  const a = decoderArrays(steps, B, N, config.maxNodes);
  const parts: Partial<BatchTensors> = {};
  if (config.setHead) Object.assign(parts, setHeadInputs(tf, ids, steps, data, N));
  if (data.retrieval) Object.assign(parts, retrievalInputs(tf, steps, data, N));
  let tokRows: SparseVec[] = [];
  if (config.attention) {
    const att = attentionInputs(tf, ids, steps, data, config, input);
    Object.assign(parts, att.tensors);
    tokRows = att.rows;
  }
  const stepText = stepTextInputs(tf, ids, data, N, input);
  Object.assign(parts, stepText.tensors);
  if (data.wv) Object.assign(parts, wordVectorInputs(tf, ids, data, shared));
  const U = newVariable(tf, () => tf.tensor2d(xs.out, [B, H]));
  const UT = newVariable(tf, () => tf.tensor2d(ts.out, [N, H]));
  const tensors: BatchTensors = {
    ...parts,
    U, UT, inMean: shared.inMean, outMean: shared.outMean,
    sel: tf.tensor2d(a.sel, [S, B]), prev: tf.tensor2d(a.prev, [S, N]), startMask: tf.tensor2d(a.start, [S, 1]),
    bag: tf.tensor2d(a.bag, [S, N]), pos: tf.tensor2d(a.pos, [S, P]), y: tf.tensor2d(a.y, [S, N + 1]),
  };
  if (pairs.length > 0) Object.assign(tensors, dependencyInputs(tf, pairs, N, config.maxGap));
  return { tensors, inputRows: [...xs.used, ...ts.used, ...tokRows, ...stepText.rows] };
}

/**
 * Frees what `buildBatch` allocated for this batch (not the run's shared tensors).
 *
 * @example
 * disposeBatch(tf, batch.tensors);
 */
export function disposeBatch(tf: typeof TF, b: BatchTensors): void {
  if (b.stepText) tf.dispose([b.stepText, b.stepWorker!]);
  for (const g of [b.gx, b.gtok, b.gstep]) g?.dispose();
  if (b.nextPrior) tf.dispose([b.nextPrior, b.setPrior!]);
  if (b.setY) tf.dispose([b.setY, b.emitted!]);
  if (b.tok) tf.dispose([b.tok, b.tokMask!, b.stepMap!]);
  tf.dispose([b.U, b.UT, b.sel, b.prev, b.startMask, b.bag, b.pos, b.y]);
  if (b.ps) tf.dispose([b.ps, b.pt!, b.gap!, b.dep!]);
}
