import type { Catalog, Example } from '../types.ts';
import { featurize, fitIdf, type FeatureConfig, type SparseVec } from '../encode/features.ts';

/** Word-level tf-idf for retrieval: exact words matter more here than character overlap. */
export const MEMORY_FEATURES: FeatureConfig = { dim: 1 << 16, wordBigrams: true, charNgrams: [], charWeight: 0 };

/** The serialisable part: past instructions and their worker sequences. */
export interface MemoryData { requests: string[]; plans: string[][] }

export interface Neighbour { doc: number; sim: number }

/**
 * Retrieval memory over past (instruction, plan) pairs: an inverted index for fast cosine search,
 * and the plans as catalog indices. The decoder adds what the nearest past plans did next as a prior
 * to its own scores, so the network learns when to follow precedent and when to depart from it.
 */
export class RetrievalMemory {
  readonly plans: number[][];
  private idf: Float32Array;
  /** Per hashed term, the documents containing it and their weights (typed arrays: the search runs on every plan). */
  private postings = new Map<number, { docs: Int32Array; vals: Float32Array }>();

  constructor(readonly data: MemoryData, catalog: Catalog, readonly k: number) {
    const index = new Map(catalog.tools.map((t, i) => [t.name, i]));
    // A past plan using a worker this catalog lacks cannot be followed: it is kept out of the index.
    const usable = data.plans.map((p) => p.every((n) => index.has(n)));
    this.plans = data.plans.map((p, i) => (usable[i] ? p.map((n) => index.get(n)!) : []));
    this.idf = fitIdf(data.requests, MEMORY_FEATURES);
    const lists = new Map<number, { docs: number[]; vals: number[] }>();
    data.requests.forEach((r, doc) => {
      if (!usable[doc]) return;
      const v = featurize(r, MEMORY_FEATURES, this.idf);
      for (let i = 0; i < v.idx.length; i++) {
        let list = lists.get(v.idx[i]);
        if (!list) { list = { docs: [], vals: [] }; lists.set(v.idx[i], list); }
        list.docs.push(doc);
        list.vals.push(v.val[i]);
      }
    });
    for (const [term, l] of lists) this.postings.set(term, { docs: Int32Array.from(l.docs), vals: Float32Array.from(l.vals) });
  }

  /**
   * The `k` most similar past instructions (cosine), best first; `exclude` leaves one document out
   * (training uses leave-one-out so the prior is as imperfect as it will be on new requests).
   *
   * @example
   * memory.neighbours('cancel my alarm') // [{ doc: 12, sim: 0.61 }, ...]
   */
  neighbours(text: string, exclude = -1): Neighbour[] {
    const q: SparseVec = featurize(text, MEMORY_FEATURES, this.idf);
    const scores = new Float64Array(this.plans.length);
    const touched: number[] = [];
    for (let i = 0; i < q.idx.length; i++) {
      const list = this.postings.get(q.idx[i]);
      if (!list) continue;
      const qv = q.val[i], docs = list.docs, vals = list.vals;
      for (let j = 0; j < docs.length; j++) {
        const doc = docs[j];
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] += qv * vals[j];
      }
    }
    // Keep the k best in a small sorted buffer instead of sorting every touched document.
    const best: Neighbour[] = [];
    for (const doc of touched) {
      if (doc === exclude) continue;
      const sim = scores[doc];
      if (best.length === this.k && sim <= best[best.length - 1].sim) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1].sim < sim || (best[at - 1].sim === sim && best[at - 1].doc > doc))) at--;
      best.splice(at, 0, { doc, sim });
      if (best.length > this.k) best.pop();
    }
    return best;
  }

  /**
   * Priors over the N tools + stop for the node after `prefix`: `next` = similarity-weighted share of
   * neighbours whose plan starts with `prefix` and continues with that tool (or stops there);
   * `set` = share of neighbours whose plan contains the tool anywhere.
   *
   * @example
   * const { next, set } = memory.priors(neigh, [3], N)
   */
  priors(neigh: readonly Neighbour[], prefix: readonly number[], N: number): { next: Float32Array; set: Float32Array } {
    const next = new Float32Array(N + 1), set = new Float32Array(N + 1);
    let total = 0;
    for (const { doc, sim } of neigh) {
      if (sim <= 0) continue;
      total += sim;
      const p = this.plans[doc];
      let match = p.length >= prefix.length;
      for (let i = 0; match && i < prefix.length; i++) if (p[i] !== prefix[i]) match = false;
      if (match) next[prefix.length < p.length ? p[prefix.length] : N] += sim;
      for (const tool of new Set(p)) set[tool] += sim;
    }
    if (total > 0) for (let j = 0; j <= N; j++) { next[j] /= total; set[j] /= total; }
    return { next, set };
  }
}

/**
 * Memory data from examples (request + worker sequence).
 *
 * @example
 * memoryFromExamples(trainExamples)
 */
export function memoryFromExamples(examples: readonly Example[]): MemoryData {
  return { requests: examples.map((e) => e.request), plans: examples.map((e) => [...e.nodes]) };
}
