import { words } from './encode/features.ts';
import { isKnownWord, type Vocabulary } from './open-world-vocabulary.ts';

/**
 * How much of an instruction a planner has ever seen: the share of its words that a vocabulary
 * knows (see `isKnownWord`: the word, its stem, or a typo of a long known word). Counted on the
 * words themselves rather than on the model's hashed feature buckets, as it was before: with
 * 12,800 generated and 1,200 hand-written training requests, 78% of the buckets are taken, so most
 * gibberish words looked known ("asdf qwer zxcv" scored 0.67 and was planned).
 *
 * @example
 * knownWordShare(plannerVocabulary(catalog, model.memory.requests), 'asdf qwer zxcv') // 0
 * knownWordShare(plannerVocabulary(catalog, model.memory.requests), 'Summarise file.md') // 1
 */
export function knownWordShare(vocabulary: Vocabulary, text: string): number {
  const ws = words(text);
  return ws.length === 0 ? 0 : ws.filter((w) => isKnownWord(vocabulary, w)).length / ws.length;
}

/**
 * `text` with only its known words: a whitespace-separated token stays whole when every word in it
 * is known (so `file.md` keeps its dot), else it leaves its known words ("Pa-summarise" leaves
 * "summarise") or nothing.
 *
 * @example
 * knownWordsOnly(vocabulary, 'Bhai, file.md ka summary de do na') // 'file.md summary do'
 */
export function knownWordsOnly(vocabulary: Vocabulary, text: string): string {
  const kept: string[] = [];
  for (const token of text.split(/\s+/)) {
    const ws = words(token);
    const known = ws.filter((w) => isKnownWord(vocabulary, w));
    if (known.length === 0) continue;
    kept.push(known.length === ws.length ? token : known.join(' '));
  }
  return kept.join(' ');
}
