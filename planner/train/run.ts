import type * as TF from '@tensorflow/tfjs';
import { seededRandom, shuffled } from '../data/split.ts';
import type { DecodeOptions } from '../decode/beam.ts';
import { batchLoss } from '../model/network.ts';
import { FIXED_WEIGHTS, cloneWeights } from '../model/params.ts';
import { buildModel, type PlannerModel } from '../model/planner.ts';
import { SparseAdam } from '../model/sparse.ts';
import { buildBatch, disposeBatch, newVariable, type Batch, type InputLayer, type SharedTensors } from './batch.ts';
import type { TrainingData } from './data.ts';
import type { TrainSettings } from './options.ts';
import type { ModelParameters } from './parameters.ts';

/**
 * One training run's state between `openRun` and `closeRun`: the parameters being trained, their
 * tfjs copies and optimizers, and the run's random streams. Only the optimisation functions of this
 * module change it.
 */
export interface TrainingRun {
  readonly tf: typeof TF;
  readonly data: TrainingData;
  /**
   * Trained in place: the sparse optimizer updates W1's array itself, the dense weights live in
   * `vars` and are copied back by `syncWeights`.
   */
  readonly params: ModelParameters;
  readonly settings: TrainSettings;
  /** Every trainable weight (all but FIXED_WEIGHTS), as tfjs variables. */
  readonly vars: Record<string, TF.Variable>;
  readonly shared: SharedTensors;
  /** tfjs Adam for the dense weights; `sparseAdam` for the hashed input layer W1, which tfjs-wasm cannot train sparsely. */
  readonly adam: TF.Optimizer;
  readonly sparseAdam: SparseAdam;
  readonly input: InputLayer;
  /** Batches trained so far, over all epochs: seeds each batch's hidden dropout. */
  step: number;
}

/**
 * Starts a run: uploads the tool graph and the trainable weights to tfjs and creates both
 * optimizers. Pair with `closeRun` (in a `finally`): the tensors live on the wasm heap.
 *
 * @example
 * const run = openRun(tf, data, params, trainSettings({}));
 */
export function openRun(tf: typeof TF, data: TrainingData, params: ModelParameters, settings: TrainSettings): TrainingRun {
  const { graph } = data;
  const { weights } = params;
  const N = data.catalog.tools.length, H = params.config.hidden;
  const shared: SharedTensors = {
    inMean: tf.tensor2d(graph.inMean, [N, N]),
    outMean: tf.tensor2d(graph.outMean, [N, N]),
    gTools: data.wv ? tf.tensor2d(data.gTools!, [N, data.wv.dim]) : undefined,
  };
  const vars: Record<string, TF.Variable> = {};
  for (const [k, v] of Object.entries(weights)) if (!FIXED_WEIGHTS.has(k)) vars[k] = newVariable(tf, () => tf.tensor(v.data, v.shape));
  const adam = tf.train.adam(settings.learningRate);
  const sparseAdam = new SparseAdam(weights.W1.data, H, settings.learningRate);
  const input: InputLayer = { W1: weights.W1.data, H, dropout: settings.inputDropout, rand: seededRandom(settings.seed + 1) };
  return { tf, data, params, settings, vars, shared, adam, sparseAdam, input, step: 0 };
}

/**
 * Frees the run's tensors and optimizer state (a finished run's weights are in `params.weights`
 * after `syncWeights`).
 *
 * @example
 * try { ... } finally { closeRun(run); }
 */
export function closeRun(run: TrainingRun): void {
  const { tf, shared } = run;
  tf.dispose([shared.inMean, shared.outMean, ...Object.values(run.vars)]);
  shared.gTools?.dispose();
  run.adam.dispose();
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a); out.set(b, a.length);
  return out;
}

/**
 * The gradients to give tfjs Adam: one per variable, in the variables' order, zeros for a variable
 * the batch left without one. Adam keeps its moments by position in the list it is given, so a
 * missing variable would shift the others onto the wrong moments ("could not be broadcast together
 * with shapes 4 and 64,64", seen on 3 of 5 seeds with 1,481 hand-written requests).
 *
 * @example
 * adam.applyGradients(denseGradients(tf, [w, b], grads)) // grads lacks b: b gets zeros
 */
export function denseGradients(tf: typeof TF, vars: readonly TF.Variable[], grads: Readonly<Record<string, TF.Tensor | undefined>>): Record<string, TF.Tensor> {
  const out: Record<string, TF.Tensor> = {};
  for (const v of vars) out[v.name] = grads[v.name] ?? tf.zerosLike(v);
  return out;
}

/** One optimisation step on `batch`: both optimizers apply its gradients. Returns the batch's loss. */
function trainStep(run: TrainingRun, batch: Batch): number {
  const { tf, vars, settings } = run;
  const b = batch.tensors;
  run.step++;
  const varList = [...Object.values(vars), b.U, b.UT, ...(b.tok ? [b.tok] : []), ...(b.stepText ? [b.stepText] : [])];
  let loss = 0;
  let gInput: Float32Array = new Float32Array(0);
  // Everything the step allocates (gradients, optimizer temporaries) is freed by the tidy; a
  // leak of a few tensors per batch exhausted the wasm heap over several trainings in one process.
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => batchLoss(tf, vars, b, run.params.config, { dropout: settings.dropout, seed: settings.seed * 100003 + run.step, depWeight: 0.5, stepTextWeight: settings.stepTextWeight }), varList);
    loss = value.dataSync()[0];
    // The input layer's gradient arrives as the gradients of its outputs (U, UT, tok, stepText rows).
    const gU = grads[b.U.name].dataSync() as Float32Array;
    const gUT = grads[b.UT.name].dataSync() as Float32Array;
    const gTok = b.tok ? (grads[b.tok.name].dataSync() as Float32Array) : new Float32Array(0);
    const gStep = b.stepText ? (grads[b.stepText.name].dataSync() as Float32Array) : new Float32Array(0);
    gInput = concat(concat(concat(gU, gUT), gTok), gStep);
    run.adam.applyGradients(denseGradients(tf, Object.values(vars), grads));
  });
  run.sparseAdam.step(batch.inputRows, gInput);
  return loss;
}

/**
 * Trains one epoch (1-based; it seeds the shuffle) over the examples in shuffled batches. Returns
 * the mean batch loss.
 *
 * @example
 * const loss = trainEpoch(run, 1);
 */
export function trainEpoch(run: TrainingRun, epoch: number): number {
  const { tf, data, settings } = run;
  const order = shuffled(data.examples.map((_, i) => i), settings.seed * 1000 + epoch);
  let lossSum = 0, batches = 0;
  for (let b0 = 0; b0 < order.length; b0 += settings.batchSize) {
    const batch = buildBatch(tf, order.slice(b0, b0 + settings.batchSize), data, run.params.config, run.input, run.shared);
    lossSum += trainStep(run, batch);
    batches++;
    disposeBatch(tf, batch.tensors);
  }
  return lossSum / Math.max(1, batches);
}

/**
 * Multiplies the learning rate by `settings.lrDecay`. Both optimizers (tfjs Adam for the dense
 * weights, ours for the sparse input layer) decay together.
 *
 * @example
 * decayLearningRate(run);
 */
export function decayLearningRate(run: TrainingRun): void {
  const decay = run.settings.lrDecay;
  run.sparseAdam.lr *= decay;
  // tfjs keeps the rate in a protected field, which Adam reads at every step.
  (run.adam as unknown as { learningRate: number }).learningRate *= decay;
}

/**
 * Copies the trained dense weights from tfjs back into `params.weights` (W1 is trained there already).
 *
 * @example
 * syncWeights(run); run.params.weights.Wq.data
 */
export function syncWeights(run: TrainingRun): void {
  const { weights } = run.params;
  for (const [k, v] of Object.entries(run.vars)) weights[k] = { shape: v.shape as number[], data: v.dataSync().slice() as Float32Array };
}

/**
 * A model from a copy of the run's current weights (call `syncWeights` first), decoding with
 * `decode`, threshold 0 (`fitDecoding` sets it).
 *
 * @example
 * const model = snapshot(run, decode);
 */
export function snapshot(run: TrainingRun, decode: DecodeOptions): PlannerModel {
  const { config, idf, weights } = run.params;
  return buildModel({ config, decode, catalog: run.data.catalog, idf, weights: cloneWeights(weights), threshold: 0, memory: run.data.memory });
}
