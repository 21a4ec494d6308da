import type { SparseVec } from './features.ts';

/**
 * An inverted index of sparse vectors (the tool texts of a catalog, a model's remembered requests):
 * for each feature bucket, the vectors that have it and their values. One text's dot product with every tool then costs the
 * entries the text shares with them, not every entry of every tool text: a clause against 500 tools
 * reads a few thousand postings instead of 45,000 entries, and allocates no dense scratch array.
 * The same products are added in the same order (bucket by ascending bucket) as `sparseDot`, so
 * every dot is the same number to the last bit.
 *
 * @example
 * const index = new Postings(toolVectors, cfg.dim);
 * index.dots(featurize('cancel my alarm', cfg, idf))[3] === sparseDot(query, toolVectors[3]) // true
 */
export class Postings {
  /** Where each bucket's postings start (bucket b: `start[b]` up to `start[b + 1]`). */
  private readonly start: Int32Array;
  private readonly ids: Int32Array;
  private readonly values: Float32Array;
  /** How many vectors are indexed (the vectors themselves are not kept). */
  private readonly size: number;

  constructor(vectors: readonly SparseVec[], dim: number) {
    this.size = vectors.length;
    const start = new Int32Array(dim + 1);
    for (const v of vectors) for (let j = 0; j < v.idx.length; j++) start[v.idx[j] + 1]++;
    for (let b = 0; b < dim; b++) start[b + 1] += start[b];
    const next = start.slice(0, dim);
    this.ids = new Int32Array(start[dim]);
    this.values = new Float32Array(start[dim]);
    vectors.forEach((v, id) => {
      for (let j = 0; j < v.idx.length; j++) {
        const at = next[v.idx[j]]++;
        this.ids[at] = id;
        this.values[at] = v.val[j];
      }
    });
    this.start = start;
  }

  /**
   * Adds `v`'s dot product with every indexed vector sharing an entry with it into `scores` (by
   * index), and lists those vectors in `touched` in the order first met; returns how many. `scores`
   * must be zero where a vector is not yet touched (a caller reusing it zeroes the touched ones).
   * For thousands of vectors (a model's remembered requests) this reads and lists only the ones a
   * query reaches.
   */
  accumulate(v: SparseVec, scores: Float64Array, touched: Int32Array): number {
    const { start, ids, values } = this;
    let n = 0;
    for (let j = 0; j < v.idx.length; j++) {
      const b = v.idx[j], x = v.val[j];
      for (let k = start[b]; k < start[b + 1]; k++) {
        const id = ids[k];
        if (scores[id] === 0) touched[n++] = id;
        scores[id] += x * values[k];
      }
    }
    return n;
  }

  /** The dot product of `v` with every indexed vector, by index. */
  dots(v: SparseVec): Float64Array {
    const out = new Float64Array(this.size);
    const { start, ids, values } = this;
    for (let j = 0; j < v.idx.length; j++) {
      const b = v.idx[j], x = v.val[j];
      for (let k = start[b]; k < start[b + 1]; k++) out[ids[k]] += x * values[k];
    }
    return out;
  }
}
