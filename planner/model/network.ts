import type * as TF from '@tensorflow/tfjs';
import type { ModelConfig } from './params.ts';
import { fastMatMul } from './matmul.ts';

type Tensor = TF.Tensor;
type Vars = Record<string, TF.Variable>;

/** Numerically stable binary cross-entropy with logits, elementwise: max(z,0) - z*y + log(1 + exp(-|z|)). */
function bceWithLogits(tf: typeof TF, z: Tensor, y: Tensor): Tensor {
  return tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
}

/** Broadcasting sum of several tensors (tf.addN does not broadcast). */
function sum(tf: typeof TF, xs: Tensor[]): Tensor {
  return xs.reduce((a, b) => tf.add(a, b));
}

/** One training batch as dense tensors (all selections are one-hot matrices: their gradients are matmuls, which wasm has). */
export interface BatchTensors {
  /** Input-layer pre-activations of the batch's instructions [B, H] and of the catalog's tools [N, H]. */
  U: TF.Variable; UT: TF.Variable;
  inMean: Tensor; outMean: Tensor;
  /** Decoder steps: which example [S, B], previous tool [S, N] (zero row at the start), start mask [S, 1], mean of earlier tools [S, N], position [S, P]. */
  sel: Tensor; prev: Tensor; startMask: Tensor; bag: Tensor; pos: Tensor;
  /** Gold next token: one-hot over N tools + stop [S, N + 1]. */
  y: Tensor;
  /** Attention inputs: token embeddings [B, L, H] (from the sparse layer), additive pad mask [B, 1, L], step -> (example, t) one-hot [S, B * T]. */
  tok?: TF.Variable; tokMask?: Tensor; stepMap?: Tensor; T?: number;
  /** Set head: gold tool multi-hot per example [B, N], tools already emitted before each step [S, N]. */
  setY?: Tensor; emitted?: Tensor;
  /** Retrieval priors per step over N tools + stop [S, N + 1] (when the config enables retrieval). */
  nextPrior?: Tensor; setPrior?: Tensor;
  /** Word-vector views [rows, dim] of the instructions, tools, tokens (B * L rows) and sub-task texts (with `wordVectors`). */
  gx?: Tensor; gt?: Tensor; gtok?: Tensor; gstep?: Tensor;
  /** Sub-task texts of the batch's examples [R, H] (input-layer pre-activations) and their workers, one-hot [R, N]. */
  stepText?: TF.Variable; stepWorker?: Tensor;
  /** Dependency pairs (earlier tool s, later tool t, gap) and their labels; Q may be 0. */
  ps?: Tensor; pt?: Tensor; gap?: Tensor; dep?: Tensor;
}

/**
 * Tool embeddings: description features through the shared input layer, then one GraphSAGE layer
 * (self + mean of predecessors + mean of successors), plus the optional per-tool free embedding.
 *
 * @example
 * const E = toolEmbeddings(tf, vars, UT, inMean, outMean, cfg); // [N, H]
 */
export function toolEmbeddings(tf: typeof TF, v: Vars, UT: Tensor, inMean: Tensor, outMean: Tensor, cfg: ModelConfig): Tensor {
  const mm = fastMatMul(tf);
  const z0 = tf.relu(tf.add(UT, v.b1));
  let E: Tensor = z0;
  if (cfg.gnn) {
    const z1 = tf.relu(sum(tf, [
      mm(z0, v.Wself),
      mm(mm(inMean, z0), v.Win),
      mm(mm(outMean, z0), v.Wout),
      v.bg.expandDims(0),
    ]));
    E = tf.add(z0, z1);
  }
  if (cfg.toolIdEmbedding) E = tf.add(E, v.toolEmb);
  return E;
}

/**
 * Instruction encoder: the hashed input layer plus one residual dense layer.
 *
 * @example
 * const h = encodeInstructions(tf, vars, U); // [B, H]
 */
export function encodeInstructions(tf: typeof TF, v: Vars, U: Tensor): Tensor {
  const h1 = tf.relu(tf.add(U, v.b1));
  return tf.add(h1, tf.relu(tf.add(fastMatMul(tf)(h1, v.Wenc), v.benc)));
}

/** Input-layer pre-activations plus, when there is one, the word-vector view mapped by Wv. */
function withVectors(tf: typeof TF, v: Vars, x: Tensor, g: Tensor | undefined): Tensor {
  return g && v.Wv ? tf.add(x, fastMatMul(tf)(g, v.Wv)) : x;
}

/**
 * Training loss: cross-entropy of the next worker (or stop) at every decoder step under teacher
 * forcing, plus binary cross-entropy of the dependency head on every (earlier, later) node pair.
 *
 * @example
 * const loss = batchLoss(tf, vars, batch, cfg, { dropout: 0.2, seed: 7 });
 */
export function batchLoss(tf: typeof TF, v: Vars, b: BatchTensors, cfg: ModelConfig, opts: { dropout: number; seed: number; depWeight: number; setWeight?: number; stepTextWeight?: number }): TF.Scalar {
  const mm = fastMatMul(tf);
  const E = toolEmbeddings(tf, v, withVectors(tf, v, b.UT, b.gt), b.inMean, b.outMean, cfg);
  let h = encodeInstructions(tf, v, withVectors(tf, v, b.U, b.gx));
  if (opts.dropout > 0) h = tf.dropout(h, opts.dropout, undefined, opts.seed);
  const hS = mm(b.sel, h);
  const prevE = tf.add(mm(b.prev, E), tf.mul(b.startMask, v.start.expandDims(0)));
  const bagE = mm(b.bag, E);
  const s = tf.relu(sum(tf, [
    mm(hS, v.Wdh), mm(prevE, v.Wdp), mm(bagE, v.Wdb), mm(b.pos, v.pos), v.bd.expandDims(0),
  ]));
  let q = mm(s, v.Wq);
  if (cfg.attention && b.tok && b.tokMask && b.stepMap && b.T) {
    const [B, L, H] = b.tok.shape as [number, number, number];
    const tok = b.gtok ? tf.reshape(withVectors(tf, v, tf.reshape(b.tok, [B * L, H]), b.gtok), [B, L, H]) : b.tok;
    // Attention runs per example over its T decoder steps: steps go to a [B, T, H] layout and back.
    const sBT = tf.reshape(mm(tf.transpose(b.stepMap), mm(s, v.Wa)), [B, b.T, H]);
    const keys = tf.add(tok, tf.slice(v.posTok, [0, 0], [L, H]).expandDims(0));
    const scores = tf.add(tf.div(tf.matMul(sBT, keys, false, true), Math.sqrt(H)), b.tokMask);
    const ctx = tf.reshape(tf.matMul(tf.softmax(scores), tok), [B * b.T, H]);
    q = tf.add(q, mm(mm(b.stepMap, ctx), v.Wc));
  }
  let toolLogits = mm(q, tf.transpose(E));
  if (cfg.toolIdEmbedding) toolLogits = tf.add(toolLogits, v.toolBias.expandDims(0));
  let stopLogit = tf.add(mm(q, v.stopVec.expandDims(1)), v.stopBias);
  let setLoss: Tensor | undefined;
  if (cfg.setHead && b.setY && b.emitted) {
    // Scaled like attention scores so the 260 sigmoids start near their bias instead of saturated.
    const setLogits = tf.add(tf.div(mm(mm(h, v.Wset), tf.transpose(E)), Math.sqrt(cfg.hidden)), v.setB);
    setLoss = tf.mean(tf.sum(bceWithLogits(tf, setLogits, b.setY), 1));
    const [wLogit, wRem] = tf.split(v.setW, 2);
    toolLogits = tf.add(toolLogits, tf.mul(mm(b.sel, setLogits), wLogit));
    // Probability mass of needed tools not yet emitted: the more is missing, the less the decoder should stop.
    const remaining = tf.sum(tf.mul(mm(b.sel, tf.sigmoid(setLogits)), tf.sub(1, b.emitted)), 1, true);
    stopLogit = tf.add(stopLogit, tf.mul(remaining, wRem));
  }
  let logits = tf.concat([toolLogits, stopLogit], 1);
  if (cfg.retrieval && b.nextPrior && b.setPrior) {
    const [wNext, wSet] = tf.split(v.retrievalW, 2);
    logits = sum(tf, [logits, tf.mul(b.nextPrior, wNext), tf.mul(b.setPrior, wSet)]);
  }
  let stepLoss: Tensor = tf.neg(tf.mean(tf.sum(tf.mul(b.y, tf.logSoftmax(logits)), 1)));
  if (setLoss) stepLoss = tf.add(stepLoss, tf.mul(setLoss, opts.setWeight ?? 0.1));
  if (b.stepText && b.stepWorker && opts.stepTextWeight) {
    // Auxiliary task: which worker does this sub-task text describe? It ties the input layer's words
    // to tools clause by clause, which the whole-instruction loss only does through the decoder.
    const hs = encodeInstructions(tf, v, withVectors(tf, v, b.stepText, b.gstep));
    let sl = mm(mm(hs, v.Wst), tf.transpose(E));
    if (cfg.toolIdEmbedding) sl = tf.add(sl, v.toolBias.expandDims(0));
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(b.stepWorker, tf.logSoftmax(sl)), 1)));
    stepLoss = tf.add(stepLoss, tf.mul(ce, opts.stepTextWeight));
  }
  if (!b.ps || !b.pt || !b.gap || !b.dep) return stepLoss as TF.Scalar;
  const es = mm(mm(b.ps, E), v.Wp);
  const et = mm(b.pt, E);
  const z = sum(tf, [tf.sum(tf.mul(es, et), 1, true), mm(b.gap, v.gapW.expandDims(1)), v.bp.expandDims(0)]);
  const bce = tf.mean(bceWithLogits(tf, z, b.dep));
  return tf.add(stepLoss, tf.mul(bce, opts.depWeight)) as TF.Scalar;
}
