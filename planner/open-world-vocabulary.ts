import { words } from './encode/features.ts';
import type { Catalog } from './types.ts';
import { toolDocument, withOutputTags } from './zero-shot/index.ts';

/**
 * The words a planner can act on: those of the catalog's tool documents (name, description) and,
 * for a trained model, those of the requests it was trained on (its retrieval memory). A request's
 * action word outside this set names something the planner has never been shown how to do.
 */

/** A word with its plural, past or gerund ending cut, so "charts", "charted" and "charting" meet "chart". */
export function wordStem(word: string): string {
  const cut = word.replace(/(?:ing|ed|es|s)$/, '');
  return cut.length >= 3 ? cut : word;
}

/** Known words and their stems. */
export interface Vocabulary { words: ReadonlySet<string>; stems: ReadonlySet<string> }

/** A vocabulary of a set of words. */
export function vocabularyOf(known: Iterable<string>): Vocabulary {
  const all = new Set(known);
  return { words: all, stems: new Set([...all].map(wordStem)) };
}

/** The words of the catalog's tool documents (names, descriptions, output tags: see `withOutputTags`). */
export function catalogWords(catalog: Catalog): Set<string> {
  const known = new Set<string>();
  const params = withOutputTags(catalog);
  for (const t of catalog.tools) for (const w of words(toolDocument({ ...t, params: [...(params?.[t.name] ?? [])] }))) known.add(w);
  return known;
}

/**
 * Builds the vocabulary of a catalog plus extra texts (e.g. a model's remembered requests).
 *
 * @example
 * const v = plannerVocabulary(catalog, model.memory.requests);
 * v.words.has('summarise') // true
 */
export function plannerVocabulary(catalog: Catalog, texts: readonly string[] = []): Vocabulary {
  const known = catalogWords(catalog);
  for (const text of texts) for (const w of words(text)) known.add(w);
  return vocabularyOf(known);
}

/** Optimal-string-alignment distance of two words, stopping early once it exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Whether a word is known to the vocabulary: itself, its stem, or (from seven letters on) a typo of
 * a known word one edit away with the same first letter ("sentimnet" is "sentiment"). Shorter
 * words have too many neighbours one edit away ("print" would be "point").
 *
 * @example
 * isKnownWord(v, 'charts') // true when 'chart' is known
 * isKnownWord(v, 'email') // false for the built-in catalog
 */
export function isKnownWord(v: Vocabulary, word: string): boolean {
  if (v.words.has(word) || v.stems.has(wordStem(word))) return true;
  if (word.length < 7) return false;
  for (const k of v.words) if (k[0] === word[0] && k.length >= 6 && editDistance(word, k, 1) <= 1) return true;
  return false;
}
