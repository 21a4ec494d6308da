import type { SparseVec } from '../encode/features.ts';
import { sparseTimesDense } from './sparse.ts';
import { KernelArena, lanes } from './kernels.ts';
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

function reluInPlace(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
  return x;
}

/** Entries per chunk when sparse rows are copied into the arena for a gather. */
const CHUNK = 1024;

/**
 * The network's inference path outside tfjs. Everything that does not depend on the instruction
 * (tool embeddings after the GNN, their products with the decoder weights, the output matrix
 * Wq E^T) is folded once here, so a decoder step is a few H-vector additions and products with
 * H x N matrices. Those products and the hashed input layer's row sums run on WebAssembly SIMD
 * kernels (`kernels.ts`) over a copy of the matrices in the network's own arena; the rest
 * (softmax, ReLU, the short per-step sums) stays in JavaScript. It computes what `network.ts`
 * computes, up to float rounding (a test compares the two).
 */
export class CompiledNetwork {
  readonly N: number;
  readonly H: number;
  /** Tool embeddings E [N, H]. */
  readonly E: Float32Array;
  private EWp: Float32Array;
  private EWb: Float32Array;
  private startWp: Float32Array;
  private stopQ: Float32Array; // Wq stopVec, [H]
  private EP: Float32Array; // E Wp, [N, H]
  private stopC?: Float32Array; // Wc stopVec, [H]
  /** The model's word vectors (with `cfg.wordVectors`). */
  readonly vectors?: WordVectorIndex;
  private projectedDone?: Uint8Array;
  private stEReady = false;
  // The arena and its blocks (byte offsets). Rows are Hp = H rounded up to whole lanes, output
  // vectors Np = N rounded up; the padding stays zero, so it never changes a sum.
  private readonly arena: KernelArena;
  private readonly Hp: number;
  private readonly Np: number;
  private readonly at: Record<'W1' | 'Wenc' | 'Wdh' | 'MT' | 'M' | 'u' | 'e' | 's' | 'a' | 'c' | 'out' | 'cand' | 'idx' | 'val', number> & Partial<Record<'proj' | 'Wa' | 'McT' | 'Mc' | 'stE' | 'tok' | 'keys' | 'scores' | 'ident', number>>;
  /** The token encoding whose rows are in the arena's tok/keys blocks. */
  private loaded?: { tok: Float32Array; keys: Float32Array; L: number };

  /** `vectors`: the model's word vectors and the tools' views through them (required when the config has word vectors). */
  constructor(readonly cfg: ModelConfig, readonly w: Weights, toolFeatures: readonly SparseVec[], graph: ToolGraph, vectors?: { index: WordVectorIndex; toolMixes: readonly VectorMix[] }) {
    const H = cfg.hidden, N = toolFeatures.length;
    this.N = N; this.H = H;
    const Hp = lanes(H), Np = lanes(N), D = w.W1.data.length / H, T = cfg.maxTokens;
    this.Hp = Hp; this.Np = Np;
    if (cfg.wordVectors && (!vectors || !w.Wv)) throw new Error('planner model: the config has word vectors but no vectors or Wv were given');
    const V = cfg.wordVectors ? vectors!.index.size : 0;
    const blocks: [string, number, boolean][] = [
      ['W1', D * Hp, true], ['proj', V * Hp, V > 0], ['Wenc', H * Hp, true], ['Wdh', H * Hp, true],
      ['MT', N * Hp, true], ['M', H * Np, true],
      ['Wa', H * Hp, cfg.attention], ['McT', N * Hp, cfg.attention], ['Mc', H * Np, cfg.attention],
      ['tok', T * Hp, cfg.attention], ['keys', T * Hp, cfg.attention], ['scores', lanes(T), cfg.attention], ['ident', lanes(T), cfg.attention],
      ['stE', H * Np, w.Wst !== undefined],
      ['u', Hp, true], ['e', Hp, true], ['s', Hp, true], ['a', Hp, true], ['c', Hp, true], ['out', Np, true], ['cand', Np, true],
      ['idx', CHUNK, true], ['val', CHUNK, true],
    ];
    const used = blocks.filter((b) => b[2]);
    this.arena = new KernelArena(used.reduce((t, [, n]) => t + lanes(n), 0));
    this.at = Object.fromEntries(used.map(([name, n]) => [name, this.arena.alloc(n)])) as CompiledNetwork['at'];
    this.put('W1', w.W1.data, D, H, Hp);
    if (cfg.wordVectors) {
      this.vectors = vectors!.index;
      this.projectedDone = new Uint8Array(V);
    }
    const UT = sparseTimesDense(toolFeatures, w.W1.data, H).out;
    if (vectors && cfg.wordVectors) vectors.toolMixes.forEach((m, i) => this.addMix(UT, i * H, m));
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
    const Et = transpose(E, N, H);
    const M = matmul(w.Wq.data, H, H, Et, N);
    this.put('M', M, H, N, Np);
    this.put('MT', transpose(M, H, N), N, H, Hp);
    this.stopQ = matmul(w.Wq.data, H, H, w.stopVec.data, 1);
    this.EP = matmul(E, N, H, w.Wp.data, H);
    this.put('Wenc', w.Wenc.data, H, H, Hp);
    this.put('Wdh', w.Wdh.data, H, H, Hp);
    if (cfg.attention) {
      const Mc = matmul(w.Wc.data, H, H, Et, N);
      this.put('Mc', Mc, H, N, Np);
      this.put('McT', transpose(Mc, H, N), N, H, Hp);
      this.stopC = matmul(w.Wc.data, H, H, w.stopVec.data, 1);
      this.put('Wa', w.Wa.data, H, H, Hp);
      this.arena.ints(this.at.ident!, T).set(Array.from({ length: T }, (_, i) => i));
    }
  }

  /** Copies a row-major [rows, cols] matrix into block `name` with row stride `stride`. */
  private put(name: keyof CompiledNetwork['at'], data: Float32Array, rows: number, cols: number, stride: number): void {
    const dst = this.arena.view(this.at[name]!, rows * stride);
    if (cols === stride) dst.set(data.subarray(0, rows * cols));
    else for (let r = 0; r < rows; r++) dst.set(data.subarray(r * cols, (r + 1) * cols), r * stride);
  }

  /** Zeroes block `name`'s first `n` floats and returns its view. */
  private zeroed(name: keyof CompiledNetwork['at'], n: number): Float32Array {
    const v = this.arena.view(this.at[name]!, n);
    v.fill(0);
    return v;
  }

  /** y (a block offset) += sum_i val[i] rows(W)[idx[i]], in chunks through the arena's idx/val blocks. */
  private gatherInto(y: number, idx: Int32Array, val: Float32Array, W: number): void {
    const I = this.arena.ints(this.at.idx, CHUNK), F = this.arena.view(this.at.val, CHUNK);
    for (let from = 0; from < idx.length; from += CHUNK) {
      const n = Math.min(CHUNK, idx.length - from);
      I.set(idx.subarray(from, from + n));
      F.set(val.subarray(from, from + n));
      this.arena.gather(y, this.at.idx, this.at.val, n, W, this.Hp);
    }
  }

  /** Row r of (unit vectors) Wv; computed once, on first use (an instruction touches a few dozen of thousands). */
  private projectedRow(r: number): Float32Array {
    const H = this.H, Hp = this.Hp, dim = this.vectors!.dim;
    const out = this.arena.view(this.at.proj! + r * Hp * 4, H);
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
    const H = this.H, Hp = this.Hp, L = tokens.length;
    if (!this.cfg.attention || L === 0) return { tok: new Float32Array(0), keys: new Float32Array(0), L: 0 };
    if (L > this.cfg.maxTokens) throw new Error(`planner model: ${L} tokens, over the model's maxTokens of ${this.cfg.maxTokens}`);
    const tokV = this.zeroed('tok', L * Hp);
    for (let p = 0; p < L; p++) this.gatherInto(this.at.tok! + p * Hp * 4, tokens[p].idx, tokens[p].val, this.at.W1);
    if (this.vectors && vectorRows) {
      for (let p = 0; p < L; p++) {
        if (vectorRows[p] < 0) continue;
        const v = this.projectedRow(vectorRows[p]);
        for (let k = 0; k < H; k++) tokV[p * Hp + k] += v[k];
      }
    }
    const keysV = this.arena.view(this.at.keys!, L * Hp);
    keysV.set(tokV);
    const pos = this.w.posTok.data;
    for (let p = 0; p < L; p++) for (let k = 0; k < H; k++) keysV[p * Hp + k] += pos[p * H + k];
    // The caller keeps copies (another instruction may be encoded before this one is decoded).
    const att = { tok: tokV.slice(), keys: keysV.slice(), L };
    this.loaded = att;
    return att;
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
    this.encodeText(x, mix);
    const s = this.zeroed('s', this.Hp);
    s.set(w.bd.data);
    this.arena.axpy(this.at.s, this.at.u, H, this.at.Wdh, this.Hp);
    const ctx = s.slice(0, H);
    if (!this.cfg.setHead) return { ctx };
    const hs = matmul(this.arena.view(this.at.u, H), 1, H, w.Wset.data, H);
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

  /**
   * The encoder's output for one text (`encodeInstructions` in network.ts): input layer, then a
   * residual ReLU layer. Left in the arena's `u` block.
   */
  private encodeText(x: SparseVec, mix?: VectorMix): void {
    const H = this.H, Hp = this.Hp, w = this.w;
    const u = this.zeroed('u', Hp);
    this.gatherInto(this.at.u, x.idx, x.val, this.at.W1);
    if (this.vectors && mix && mix.rows.length > 0) {
      for (const r of mix.rows) this.projectedRow(r);
      this.gatherInto(this.at.u, mix.rows, mix.coef, this.at.proj!);
    }
    for (let k = 0; k < H; k++) u[k] = Math.max(0, u[k] + w.b1.data[k]);
    const e = this.zeroed('e', Hp);
    this.arena.axpy(this.at.e, this.at.u, H, this.at.Wenc, Hp);
    for (let k = 0; k < H; k++) u[k] += Math.max(0, e[k] + w.benc.data[k]);
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
    if (!this.stEReady) {
      this.put('stE', matmul(w.Wst.data, H, H, transpose(this.E, N, H), N), H, N, this.Np);
      this.stEReady = true;
    }
    this.encodeText(x, mix);
    const out = this.zeroed('out', this.Np);
    this.arena.axpy(this.at.out, this.at.u, H, this.at.stE!, this.Np);
    const p = out.slice(0, N);
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
    const H = this.H, Hp = this.Hp, N = this.N, t = prefix.length, A = this.arena, at = this.at;
    const s = A.view(at.s, H);
    s.set(ctx);
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
    const outV = this.zeroed('out', this.Np);
    if (candidates) {
      A.ints(at.cand, candidates.length).set(candidates);
      A.dots(at.out, at.s, at.MT, Hp, at.cand, candidates.length);
    } else A.axpy(at.out, at.s, H, at.M, this.Np);
    let stop = this.w.stopBias.data[0];
    if (this.cfg.attention && att && att.L > 0) {
      const L = att.L;
      if (this.loaded !== att) {
        A.view(at.tok!, L * Hp).set(att.tok);
        A.view(at.keys!, L * Hp).set(att.keys);
        this.loaded = att;
      }
      this.zeroed('a', Hp);
      A.axpy(at.a, at.s, H, at.Wa!, Hp);
      const scores = this.zeroed('scores', L);
      A.dots(at.scores!, at.a, at.keys!, Hp, at.ident!, L);
      let max = -Infinity;
      for (let p = 0; p < L; p++) {
        scores[p] /= Math.sqrt(H);
        if (scores[p] > max) max = scores[p];
      }
      let total = 0;
      for (let p = 0; p < L; p++) { scores[p] = Math.exp(scores[p] - max); total += scores[p]; }
      for (let p = 0; p < L; p++) scores[p] /= total;
      const c = this.zeroed('c', Hp);
      A.axpy(at.c, at.scores!, L, at.tok!, Hp);
      const stopC = this.stopC!;
      for (let k = 0; k < H; k++) stop += c[k] * stopC[k];
      if (candidates) A.dots(at.out, at.c, at.McT!, Hp, at.cand, candidates.length);
      else A.axpy(at.out, at.c, H, at.Mc!, this.Np);
    }
    const out = new Float32Array(N + 1);
    out.set(outV.subarray(0, N));
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
