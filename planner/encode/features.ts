/**
 * Hashed sparse text features: word unigrams, word bigrams and character n-grams hashed into a fixed
 * number of buckets, weighted tf-idf style and L2-normalised. Hashing keeps the vocabulary open (a
 * new catalog's words still land somewhere) and the model size fixed; the character n-grams make
 * "cancel"/"cancelled"/"cancellation" overlap, which matters with 3,000 training requests.
 */

import { hashString } from '../../machines/retry.ts';

/** A sparse vector: strictly increasing bucket indices and their values. */
export interface SparseVec { idx: Int32Array; val: Float32Array }

/** Which n-grams to emit. */
export interface FeatureConfig { dim: number; wordBigrams: boolean; charNgrams: number[]; charWeight: number }

export const DEFAULT_FEATURES: FeatureConfig = { dim: 16384, wordBigrams: true, charNgrams: [3, 4], charWeight: 0.5 };

/**
 * 32-bit FNV-1a: stable across runs and platforms, so saved models keep their meaning. The same
 * function the engine uses for seeds, shared from the machines floor.
 *
 * @example
 * fnv1a('cancel') % 16384
 */
export const fnv1a: (s: string) => number = hashString;

/**
 * Lower-cased alphanumeric words; `snake_case` and `camelCase` names split into words so tool
 * names and instructions share a vocabulary.
 *
 * @example
 * words('Call clock_alarm_cancel, please!') // ['call', 'clock', 'alarm', 'cancel', 'please']
 */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * Raw (unweighted) term counts per bucket for one text.
 *
 * @example
 * termCounts('book a flight', DEFAULT_FEATURES).size > 0
 */
export function termCounts(text: string, cfg: FeatureConfig): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (key: string, w: number) => {
    const b = fnv1a(key) % cfg.dim;
    counts.set(b, (counts.get(b) ?? 0) + w);
  };
  const ws = words(text);
  for (let i = 0; i < ws.length; i++) {
    add('w:' + ws[i], 1);
    if (cfg.wordBigrams && i + 1 < ws.length) add('b:' + ws[i] + ' ' + ws[i + 1], 1);
    const padded = '<' + ws[i] + '>';
    for (const n of cfg.charNgrams) {
      for (let j = 0; j + n <= padded.length; j++) add(`c${n}:` + padded.slice(j, j + n), cfg.charWeight);
    }
  }
  return counts;
}

/**
 * Inverse document frequency per bucket, smoothed (`log((1 + N) / (1 + df)) + 1`) so a bucket never
 * seen in training still gets a finite, high weight.
 *
 * @example
 * const idf = fitIdf(trainRequests, DEFAULT_FEATURES);
 */
export function fitIdf(texts: readonly string[], cfg: FeatureConfig): Float32Array {
  const df = new Float32Array(cfg.dim);
  for (const t of texts) for (const b of termCounts(t, cfg).keys()) df[b] += 1;
  const idf = new Float32Array(cfg.dim);
  const n = texts.length;
  for (let b = 0; b < cfg.dim; b++) idf[b] = Math.log((1 + n) / (1 + df[b])) + 1;
  return idf;
}

/**
 * The weighted, L2-normalised sparse vector of a text: (1 + log tf) * idf.
 *
 * @example
 * const v = featurize('cancel my alarm', DEFAULT_FEATURES, idf); v.idx.length > 0
 */
export function featurize(text: string, cfg: FeatureConfig, idf: Float32Array): SparseVec {
  return weigh(termCounts(text, cfg), idf);
}

/** (1 + log tf) * idf, L2-normalised. */
function weigh(counts: Map<number, number>, idf: Float32Array): SparseVec {
  const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const val = new Float32Array(idx.length);
  let norm = 0;
  for (let i = 0; i < idx.length; i++) {
    const c = counts.get(idx[i])!;
    const v = (1 + Math.log(c)) * idf[idx[i]];
    val[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < val.length; i++) val[i] /= norm;
  return { idx, val };
}

/**
 * Dot product of two sparse vectors (cosine similarity when both are normalised).
 *
 * @example
 * sparseDot(v, v) // ~1 for a normalised vector
 */
export function sparseDot(a: SparseVec, b: SparseVec): number {
  let i = 0, j = 0, s = 0;
  while (i < a.idx.length && j < b.idx.length) {
    if (a.idx[i] === b.idx[j]) { s += a.val[i] * b.val[j]; i++; j++; }
    else if (a.idx[i] < b.idx[j]) i++;
    else j++;
  }
  return s;
}

/**
 * Per-token sparse vectors (the word and its character n-grams, idf-weighted, normalised), in
 * reading order: the decoder attends over these to find the clause that asks for its next worker.
 * Tokens past `maxTokens` are dropped (instructions that long are rare and their tail adds little).
 *
 * @example
 * tokenFeatures('cancel my alarm', DEFAULT_FEATURES, idf, 96).length // 3
 */
export function tokenFeatures(text: string, cfg: FeatureConfig, idf: Float32Array, maxTokens: number, context = false): SparseVec[] {
  const ws = words(text).slice(0, maxTokens);
  const tokenCfg: FeatureConfig = { ...cfg, wordBigrams: false };
  return ws.map((w, i) => {
    const counts = termCounts(w, tokenCfg);
    if (context) {
      // The bigrams on either side ("change ticket", "ticket to") tell a verb's object apart; they
      // hash to the same buckets as the instruction's bigram features.
      for (const key of [i > 0 ? `b:${ws[i - 1]} ${w}` : '', i + 1 < ws.length ? `b:${w} ${ws[i + 1]}` : '']) {
        if (!key) continue;
        const b = fnv1a(key) % cfg.dim;
        counts.set(b, (counts.get(b) ?? 0) + 1);
      }
    }
    return weigh(counts, idf);
  });
}
