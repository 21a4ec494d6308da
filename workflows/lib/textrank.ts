import { contentTerms } from './text.ts';

/**
 * TextRank over sentences: nodes are sentences, edge weights the cosine similarity of
 * their tf-idf vectors (idf over the sentences themselves), scores the stationary
 * distribution of a damped random walk (PageRank, d = 0.85) iterated to 1e-9.
 * A sentence that shares weighted vocabulary with many others ranks high: it is central.
 *
 * @example
 * textRank(['Cats purr.', 'Cats and dogs play.', 'Dogs bark.']) // middle sentence scores highest
 */
export function textRank(items: readonly string[], damping = 0.85): number[] {
  const n = items.length;
  if (n === 0) return [];
  const bags = items.map((s) => {
    const tf = new Map<string, number>();
    for (const t of contentTerms(s)) tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const df = new Map<string, number>();
  for (const bag of bags) for (const t of bag.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const vectors = bags.map((bag) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, f] of bag) {
      const w = (1 + Math.log(f)) * Math.log(1 + n / df.get(t)!);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  const sim: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      const [a, b] = vectors[i].size < vectors[j].size ? [vectors[i], vectors[j]] : [vectors[j], vectors[i]];
      for (const [t, w] of a) dot += w * (b.get(t) ?? 0);
      sim[i][j] = sim[j][i] = dot;
    }
  }
  const out = sim.map((row) => row.reduce((a, b) => a + b, 0));
  let score = new Array<number>(n).fill(1 / n);
  for (let iter = 0; iter < 200; iter++) {
    const next = new Array<number>(n).fill((1 - damping) / n);
    for (let j = 0; j < n; j++) {
      // A sentence with no similar neighbour spreads its weight evenly (dangling node).
      if (out[j] === 0) {
        for (let i = 0; i < n; i++) next[i] += (damping * score[j]) / n;
        continue;
      }
      for (let i = 0; i < n; i++) if (sim[j][i] > 0) next[i] += (damping * score[j] * sim[j][i]) / out[j];
    }
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs(next[i] - score[i]);
    score = next;
    if (delta < 1e-9) break;
  }
  return score;
}

/**
 * Indices of the `k` best scores, ties broken by position (earlier first), returned in
 * ascending index order so a summary reads in document order.
 *
 * @example
 * topK([0.1, 0.5, 0.3], 2) // [1, 2]
 */
export function topK(scores: readonly number[], k: number): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}
