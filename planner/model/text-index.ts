import { featurize, fitIdf, type FeatureConfig, type SparseVec } from '../encode/features.ts';

/** A search hit: the document's position in the indexed list and its cosine similarity. */
export interface Neighbour { doc: number; sim: number }

/**
 * Cosine search over a fixed list of texts in tf-idf space, through an inverted index: a query
 * touches only the documents that share a term with it, which keeps the search well under a
 * millisecond at a few thousand documents (it runs on every plan).
 *
 * @example
 * const index = new TfIdfIndex(['book a flight', 'cancel my alarm'], MEMORY_FEATURES);
 * index.search('book me a flight', 1) // [{ doc: 0, sim: 0.7... }]
 */
export class TfIdfIndex {
  private idf: Float32Array;
  /** Per hashed term, the documents containing it and their weights. */
  private postings = new Map<number, { docs: Int32Array; vals: Float32Array }>();

  private readonly size: number;

  /** `keep(doc)` false leaves a document out of the index (it is never returned) but keeps the numbering. */
  constructor(texts: readonly string[], private features: FeatureConfig, keep: (doc: number) => boolean = () => true) {
    this.size = texts.length;
    this.idf = fitIdf(texts, features);
    const lists = new Map<number, { docs: number[]; vals: number[] }>();
    texts.forEach((t, doc) => {
      if (!keep(doc)) return;
      const v = featurize(t, features, this.idf);
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
   * The `k` most similar documents sharing a term with `text`, best first; `exclude` leaves one
   * document out.
   *
   * @example
   * index.search('cancel the alarm', 10, 3)
   */
  search(text: string, k: number, exclude = -1): Neighbour[] {
    const q: SparseVec = featurize(text, this.features, this.idf);
    const scores = new Float64Array(this.size);
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
      if (best.length === k && sim <= best[best.length - 1].sim) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1].sim < sim || (best[at - 1].sim === sim && best[at - 1].doc > doc))) at--;
      best.splice(at, 0, { doc, sim });
      if (best.length > k) best.pop();
    }
    return best;
  }
}
