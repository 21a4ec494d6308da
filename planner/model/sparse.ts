import type { SparseVec } from '../encode/features.ts';

/**
 * The hashed input layer as an embedding bag: rows = sum_i val_i * W[idx_i]. tfjs-wasm has no
 * UnsortedSegmentSum (the gradient of gather/embedding), and a dense D-wide matmul wastes >99% of its
 * work on zeros, so this layer runs on the sparse vectors directly, forward and backward.
 * `dropout` (with its seeded `rand`) drops whole input features during training.
 *
 * @example
 * const U = sparseTimesDense([v], W1, 128); // Float32Array(128)
 */
export function sparseTimesDense(rows: readonly SparseVec[], W: Float32Array, H: number, dropout = 0, rand?: () => number): { out: Float32Array; used: SparseVec[] } {
  const out = new Float32Array(rows.length * H);
  const used: SparseVec[] = [];
  for (let r = 0; r < rows.length; r++) {
    let { idx, val } = rows[r];
    if (dropout > 0 && rand) {
      const keepI: number[] = [], keepV: number[] = [];
      const scale = 1 / (1 - dropout);
      for (let i = 0; i < idx.length; i++) if (rand() >= dropout) { keepI.push(idx[i]); keepV.push(val[i] * scale); }
      idx = Int32Array.from(keepI); val = Float32Array.from(keepV);
    }
    used.push({ idx, val });
    const o = r * H;
    for (let i = 0; i < idx.length; i++) {
      const base = idx[i] * H, v = val[i];
      for (let k = 0; k < H; k++) out[o + k] += v * W[base + k];
    }
  }
  return { out, used };
}

/**
 * Lazy Adam for the sparse input layer: only rows that received gradient are updated (as in
 * SparseAdam), which keeps a step proportional to the active features instead of D x H.
 *
 * @example
 * const adam = new SparseAdam(W1, 128, 4e-3); adam.step(rows, dLossDRowsW);
 */
export class SparseAdam {
  private m: Float32Array;
  private v: Float32Array;
  private t = 0;
  constructor(private W: Float32Array, private H: number, public lr: number, private b1 = 0.9, private b2 = 0.999, private eps = 1e-8) {
    this.m = new Float32Array(W.length);
    this.v = new Float32Array(W.length);
  }

  /** Applies the gradient of `rows` times W given dL/d(rows W) = `grad` (rows x H). */
  step(rows: readonly SparseVec[], grad: Float32Array): void {
    const H = this.H;
    const acc = new Map<number, Float32Array>();
    for (let r = 0; r < rows.length; r++) {
      const { idx, val } = rows[r];
      for (let i = 0; i < idx.length; i++) {
        let g = acc.get(idx[i]);
        if (!g) { g = new Float32Array(H); acc.set(idx[i], g); }
        const v = val[i], o = r * H;
        for (let k = 0; k < H; k++) g[k] += v * grad[o + k];
      }
    }
    this.t++;
    const c1 = 1 - Math.pow(this.b1, this.t), c2 = 1 - Math.pow(this.b2, this.t);
    const step = this.lr * Math.sqrt(c2) / c1;
    for (const [row, g] of acc) {
      const base = row * H;
      for (let k = 0; k < H; k++) {
        const j = base + k;
        this.m[j] = this.b1 * this.m[j] + (1 - this.b1) * g[k];
        this.v[j] = this.b2 * this.v[j] + (1 - this.b2) * g[k] * g[k];
        this.W[j] -= step * this.m[j] / (Math.sqrt(this.v[j]) + this.eps);
      }
    }
  }
}
