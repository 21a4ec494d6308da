import type { SparseVec } from '../encode/features.ts';
import { sparseTimesDense } from './sparse.ts';
import type { ModelConfig, Weights } from './params.ts';
import type { ToolGraph } from './graph.ts';
import type { WordVectorIndex } from '../encode/word-vectors.ts';

/** A text's word-vector view as a mix of vector rows (see `WordVectorIndex.textMix`). */
export interface VectorMix { rows: Int32Array; coef: Float32Array }

/** y = x W for a row-major x [R, A] and W [A, B]. */
function matmul(x: Float32Array, R: number, A: number, W: Float32Array, B: number): Float32Array {
  const y = new Float32Array(R * B);
  for (let r = 0; r < R; r++) {
    const xo = r * A, yo = r * B;
    for (let a = 0; a < A; a++) {
      const xv = x[xo + a];
      if (xv === 0) continue;
      const wo = a * B;
      for (let b = 0; b < B; b++) y[yo + b] += xv * W[wo + b];
    }
  }
  return y;
}

/** The transpose [B, A] of a row-major [A, B] matrix. */
function transpose(x: Float32Array, A: number, B: number): Float32Array {
  const y = new Float32Array(A * B);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) y[b * A + a] = x[a * B + b];
  return y;
}

/** out[i] += v . rows[i] for each i in `at` (rows is row-major [N, H]). */
function addRowDots(out: Float32Array, v: Float32Array, rows: Float32Array, H: number, at: readonly number[]): void {
  for (const i of at) {
    let z = 0;
    const o = i * H;
    for (let k = 0; k < H; k++) z += v[k] * rows[o + k];
    out[i] += z;
  }
}

function reluInPlace(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
  return x;
}

/**
 * The network's inference path in plain JavaScript. Everything that does not depend on the
 * instruction (tool embeddings after the GNN, their products with the decoder weights, the output
 * matrix Wq E^T) is folded once here, so a decoder step is a few H-vector additions and one H x N
 * product: planning takes about a millisecond without tfjs op overhead. It computes exactly what
 * `network.ts` computes (a test compares the two).
 */
export class CompiledNetwork {
  readonly N: number;
  readonly H: number;
  /** Tool embeddings E [N, H]. */
  readonly E: Float32Array;
  private EWp: Float32Array;
  private EWb: Float32Array;
  private startWp: Float32Array;
  private M: Float32Array; // Wq E^T, [H, N]
  private MT: Float32Array; // its transpose [N, H]: one contiguous row per candidate tool
  private stopQ: Float32Array; // Wq stopVec, [H]
  private EP: Float32Array; // E Wp, [N, H]
  private Mc?: Float32Array; // Wc E^T, [H, N]
  private McT?: Float32Array; // [N, H]
  private stopC?: Float32Array; // Wc stopVec, [H]
  /** The model's word vectors (with `cfg.wordVectors`). */
  readonly vectors?: WordVectorIndex;
  private projected?: Float32Array; // unit vectors times Wv, [V, H], filled row by row on first use
  private projectedDone?: Uint8Array;
  private stE?: Float32Array; // Wst E^T, [H, N]: the sub-task-text head's output matrix

  /** `vectors`: the model's word vectors and the tools' views through them (required when the config has word vectors). */
  constructor(readonly cfg: ModelConfig, readonly w: Weights, toolFeatures: readonly SparseVec[], graph: ToolGraph, vectors?: { index: WordVectorIndex; toolMixes: readonly VectorMix[] }) {
    const H = cfg.hidden, N = toolFeatures.length;
    this.N = N; this.H = H;
    const UT = sparseTimesDense(toolFeatures, w.W1.data, H).out;
    if (cfg.wordVectors) {
      if (!vectors || !w.Wv) throw new Error('planner model: the config has word vectors but no vectors or Wv were given');
      this.vectors = vectors.index;
      this.projected = new Float32Array(this.vectors.size * H);
      this.projectedDone = new Uint8Array(this.vectors.size);
      vectors.toolMixes.forEach((m, i) => this.addMix(UT, i * H, m));
    }
    const z0 = new Float32Array(N * H);
    for (let i = 0; i < N; i++) for (let k = 0; k < H; k++) z0[i * H + k] = Math.max(0, UT[i * H + k] + w.b1.data[k]);
    let E = z0;
    if (cfg.gnn) {
      const a = matmul(z0, N, H, w.Wself.data, H);
      const b = matmul(matmul(graph.inMean, N, N, z0, H), N, H, w.Win.data, H);
      const c = matmul(matmul(graph.outMean, N, N, z0, H), N, H, w.Wout.data, H);
      E = new Float32Array(N * H);
      for (let i = 0; i < N; i++) for (let k = 0; k < H; k++) {
        const j = i * H + k;
        E[j] = z0[j] + Math.max(0, a[j] + b[j] + c[j] + w.bg.data[k]);
      }
    }
    if (cfg.toolIdEmbedding) for (let j = 0; j < N * H; j++) E[j] += w.toolEmb.data[j];
    this.E = E;
    this.EWp = matmul(E, N, H, w.Wdp.data, H);
    this.EWb = matmul(E, N, H, w.Wdb.data, H);
    this.startWp = matmul(w.start.data, 1, H, w.Wdp.data, H);
    const Et = new Float32Array(H * N);
    for (let i = 0; i < N; i++) for (let k = 0; k < H; k++) Et[k * N + i] = E[i * H + k];
    this.M = matmul(w.Wq.data, H, H, Et, N);
    this.MT = transpose(this.M, H, N);
    this.stopQ = matmul(w.Wq.data, H, H, w.stopVec.data, 1);
    this.EP = matmul(E, N, H, w.Wp.data, H);
    if (cfg.attention) {
      this.Mc = matmul(w.Wc.data, H, H, Et, N);
      this.McT = transpose(this.Mc, H, N);
      this.stopC = matmul(w.Wc.data, H, H, w.stopVec.data, 1);
    }
  }

  /** Row r of (unit vectors) Wv; computed once, on first use (an instruction touches a few dozen of thousands). */
  private projectedRow(r: number): Float32Array {
    const H = this.H, dim = this.vectors!.dim;
    const out = this.projected!.subarray(r * H, (r + 1) * H);
    if (!this.projectedDone![r]) {
      const u = this.vectors!.unit, Wv = this.w.Wv.data;
      for (let d = 0; d < dim; d++) {
        const x = u[r * dim + d];
        for (let k = 0; k < H; k++) out[k] += x * Wv[d * H + k];
      }
      this.projectedDone![r] = 1;
    }
    return out;
  }

  /** target[at..at+H) += (the mix's vector) Wv. */
  private addMix(target: Float32Array, at: number, mix: VectorMix): void {
    for (let j = 0; j < mix.rows.length; j++) {
      const p = this.projectedRow(mix.rows[j]), c = mix.coef[j];
      for (let k = 0; k < this.H; k++) target[at + k] += c * p[k];
    }
  }

  /**
   * Token embeddings and attention keys of an instruction (empty when the config has no attention).
   * With word vectors, `vectorRows` gives each token's vector row (-1 = none).
   *
   * @example
   * const att = net.encodeTokens(tokenFeatures(text, cfg.features, idf, cfg.maxTokens));
   */
  encodeTokens(tokens: readonly SparseVec[], vectorRows?: Int32Array): { tok: Float32Array; keys: Float32Array; L: number } {
    const H = this.H, L = tokens.length;
    if (!this.cfg.attention || L === 0) return { tok: new Float32Array(0), keys: new Float32Array(0), L: 0 };
    const tok = sparseTimesDense(tokens, this.w.W1.data, H).out;
    if (this.vectors && vectorRows) {
      for (let p = 0; p < L; p++) {
        if (vectorRows[p] < 0) continue;
        const v = this.projectedRow(vectorRows[p]);
        for (let k = 0; k < H; k++) tok[p * H + k] += v[k];
      }
    }
    const keys = tok.slice();
    const pos = this.w.posTok.data;
    for (let p = 0; p < L; p++) for (let k = 0; k < H; k++) keys[p * H + k] += pos[p * H + k];
    return { tok, keys, L };
  }

  /**
   * The instruction-dependent part of the decoder input: (encoder(x)) Wdh + bd.
   *
   * @example
   * const ctx = net.encode(featurize(text, cfg, idf));
   */
  encode(x: SparseVec, mix?: VectorMix): Float32Array {
    return this.encodeAll(x, mix).ctx;
  }

  /**
   * The decoder context plus, with a set head, the per-tool set logits and probabilities.
   *
   * @example
   * const { ctx, set } = net.encodeAll(featurize(text, cfg, idf));
   */
  encodeAll(x: SparseVec, mix?: VectorMix): { ctx: Float32Array; set?: { logits: Float32Array; probs: Float32Array } } {
    const H = this.H, w = this.w;
    const u = this.encodeText(x, mix);
    const ctx = matmul(u, 1, H, w.Wdh.data, H);
    for (let k = 0; k < H; k++) ctx[k] += w.bd.data[k];
    if (!this.cfg.setHead) return { ctx };
    const hs = matmul(u, 1, H, w.Wset.data, H);
    const logits = new Float32Array(this.N), probs = new Float32Array(this.N);
    for (let i = 0; i < this.N; i++) {
      let z = 0;
      for (let k = 0; k < H; k++) z += hs[k] * this.E[i * H + k];
      z = z / Math.sqrt(H) + w.setB.data[0];
      logits[i] = z;
      probs[i] = 1 / (1 + Math.exp(-z));
    }
    return { ctx, set: { logits, probs } };
  }

  /** The encoder's output for one text (`encodeInstructions` in network.ts): input layer, then a residual ReLU layer. */
  private encodeText(x: SparseVec, mix?: VectorMix): Float32Array {
    const H = this.H, w = this.w;
    const u = sparseTimesDense([x], w.W1.data, H).out;
    if (this.vectors && mix) this.addMix(u, 0, mix);
    for (let k = 0; k < H; k++) u[k] = Math.max(0, u[k] + w.b1.data[k]);
    const e = reluInPlace(matmul(u, 1, H, w.Wenc.data, H).map((v, k) => v + w.benc.data[k]));
    for (let k = 0; k < H; k++) u[k] += e[k];
    return u;
  }

  /**
   * The sub-task-text head at inference: P(worker | text) over the N tools, for a clause of an
   * instruction. Only meaningful for a model trained with sub-task texts (`config.stepTextHead`).
   *
   * @example
   * const p = net.stepTextProbs(featurize('book the return flight', cfg, idf)); // Float32Array(N)
   */
  stepTextProbs(x: SparseVec, mix?: VectorMix): Float32Array {
    const H = this.H, N = this.N, w = this.w;
    if (!w.Wst) throw new Error('planner model: no sub-task-text head (Wst) in the weights');
    // Wst E^T is folded on the first clause scored (models that never score clauses never pay for it).
    this.stE ??= matmul(w.Wst.data, H, H, transpose(this.E, N, H), N);
    const p = matmul(this.encodeText(x, mix), 1, H, this.stE, N);
    if (this.cfg.toolIdEmbedding) for (let i = 0; i < N; i++) p[i] += w.toolBias.data[i];
    let max = -Infinity, z = 0;
    for (let i = 0; i < N; i++) if (p[i] > max) max = p[i];
    for (let i = 0; i < N; i++) { p[i] = Math.exp(p[i] - max); z += p[i]; }
    for (let i = 0; i < N; i++) p[i] /= z;
    return p;
  }

  /**
   * Logits over the N tools followed by the stop logit, for the next node after `prefix`. With
   * `candidates`, only those tools' logits (and stop) are computed; the rest stay 0.
   *
   * @example
   * const logits = net.stepLogits(ctx, [3, 17]); // Float32Array(N + 1)
   */
  stepLogits(ctx: Float32Array, prefix: readonly number[], att?: { tok: Float32Array; keys: Float32Array; L: number }, set?: { logits: Float32Array; probs: Float32Array }, candidates?: readonly number[]): Float32Array {
    const H = this.H, N = this.N, t = prefix.length;
    const s = ctx.slice();
    const pos = this.w.pos.data, po = Math.min(t, this.cfg.maxNodes) * H;
    if (t === 0) {
      for (let k = 0; k < H; k++) s[k] += this.startWp[k] + pos[po + k];
    } else {
      const p = prefix[t - 1] * H;
      for (let k = 0; k < H; k++) s[k] += this.EWp[p + k] + pos[po + k];
      for (const tool of prefix) {
        const b = tool * H;
        for (let k = 0; k < H; k++) s[k] += this.EWb[b + k] / t;
      }
    }
    reluInPlace(s);
    const out = new Float32Array(N + 1);
    const M = this.M;
    if (candidates) addRowDots(out, s, this.MT, H, candidates);
    else for (let k = 0; k < H; k++) {
      const sv = s[k];
      if (sv === 0) continue;
      const mo = k * N;
      for (let i = 0; i < N; i++) out[i] += sv * M[mo + i];
    }
    if (this.Mc && att && att.L > 0) {
      const a = matmul(s, 1, H, this.w.Wa.data, H);
      const scores = new Float32Array(att.L);
      let max = -Infinity;
      for (let p = 0; p < att.L; p++) {
        let z = 0;
        for (let k = 0; k < H; k++) z += a[k] * att.keys[p * H + k];
        scores[p] = z / Math.sqrt(H);
        if (scores[p] > max) max = scores[p];
      }
      let total = 0;
      for (let p = 0; p < att.L; p++) { scores[p] = Math.exp(scores[p] - max); total += scores[p]; }
      const c = new Float32Array(H);
      for (let p = 0; p < att.L; p++) {
        const wgt = scores[p] / total;
        for (let k = 0; k < H; k++) c[k] += wgt * att.tok[p * H + k];
      }
      const Mc = this.Mc, stopC = this.stopC!;
      for (let k = 0; k < H; k++) out[N] += c[k] * stopC[k];
      if (candidates) addRowDots(out, c, this.McT!, H, candidates);
      else for (let k = 0; k < H; k++) {
        const cv = c[k];
        if (cv === 0) continue;
        const mo = k * N;
        for (let i = 0; i < N; i++) out[i] += cv * Mc[mo + i];
      }
    }
    if (this.cfg.toolIdEmbedding) {
      const bias = this.w.toolBias.data;
      if (candidates) { for (const i of candidates) out[i] += bias[i]; } else for (let i = 0; i < N; i++) out[i] += bias[i];
    }
    if (set) {
      const [wLogit, wRem] = this.w.setW.data;
      for (let i = 0; i < N; i++) out[i] += wLogit * set.logits[i];
      const emitted = new Set(prefix);
      let remaining = 0;
      for (let i = 0; i < N; i++) if (!emitted.has(i)) remaining += set.probs[i];
      out[N] += wRem * remaining;
    }
    let stop = this.w.stopBias.data[0];
    for (let k = 0; k < H; k++) stop += s[k] * this.stopQ[k];
    out[N] += stop;
    return out;
  }

  /**
   * Probability that the node at position `later` (tool `t`) depends on the node at `earlier` (tool `s`).
   *
   * @example
   * net.dependencyProb(3, 0, 17, 1) // e.g. 0.97
   */
  dependencyProb(s: number, earlier: number, t: number, later: number): number {
    const H = this.H;
    let z = this.w.bp.data[0] + this.w.gapW.data[Math.min(later - earlier, this.cfg.maxGap) - 1];
    for (let k = 0; k < H; k++) z += this.EP[s * H + k] * this.E[t * H + k];
    return 1 / (1 + Math.exp(-z));
  }
}
