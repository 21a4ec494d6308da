import type { Example, Plan, PlanNode } from './types.ts';
import { fitIdf, featurize, sparseDot, type FeatureConfig, type SparseVec } from './encode/features.ts';

/** Word-level tf-idf (unigrams + bigrams): the classic retrieval baseline, no character n-grams. */
const KNN_FEATURES: FeatureConfig = { dim: 1 << 20, wordBigrams: true, charNgrams: [], charWeight: 0 };

/** A fitted kNN planner. */
export interface KnnPlanner { k: number; plan(instruction: string): Plan }

function chainNodes(ex: Example): PlanNode[] {
  const ids = ex.nodes.map((_, i) => `n${i + 1}`);
  return ex.nodes.map((worker, i) => {
    // Rebuild dependencies from the gold links by position: a link a->b makes the first b after an a depend on it.
    const deps: string[] = [];
    for (const l of ex.links) {
      if (l.target !== worker) continue;
      for (let j = i - 1; j >= 0; j--) if (ex.nodes[j] === l.source) { if (!deps.includes(ids[j])) deps.push(ids[j]); break; }
    }
    return { id: ids[i], worker, dependsOn: deps, confidence: 1 };
  });
}

/**
 * tf-idf nearest-neighbour planner, the honesty baseline: embed the instruction, take the `k` most
 * similar training requests (cosine), and return the whole training plan with the largest summed
 * similarity among them (a vote over plans, so the result is always a DAG seen in training).
 * Confidence = that plan's share of the neighbours' similarity mass.
 *
 * @example
 * const knn = fitKnn(trainExamples); knn.plan('cancel my 8am alarm').nodes
 */
export function fitKnn(train: readonly Example[], k = 10): KnnPlanner {
  if (train.length === 0) throw new Error('fitKnn: no training examples');
  const idf = fitIdf(train.map((e) => e.request), KNN_FEATURES);
  const vecs: SparseVec[] = train.map((e) => featurize(e.request, KNN_FEATURES, idf));
  const keys = train.map((e) => JSON.stringify([e.nodes, e.links]));
  return {
    k,
    plan(instruction: string): Plan {
      const q = featurize(instruction, KNN_FEATURES, idf);
      const sims = vecs.map((v, i) => ({ i, s: sparseDot(q, v) }));
      sims.sort((a, b) => b.s - a.s || a.i - b.i);
      const top = sims.slice(0, k);
      const votes = new Map<string, { s: number; i: number }>();
      let total = 0;
      for (const { i, s } of top) {
        total += s;
        const v = votes.get(keys[i]);
        if (v) v.s += s; else votes.set(keys[i], { s, i });
      }
      let best = { s: -1, i: top[0].i };
      for (const v of votes.values()) if (v.s > best.s) best = v;
      const confidence = total > 0 ? best.s / total : 0;
      const nodes = chainNodes(train[best.i]).map((n) => ({ ...n, confidence }));
      return { instruction, nodes, confidence, lowConfidence: confidence < 0.3, source: 'knn' };
    },
  };
}
