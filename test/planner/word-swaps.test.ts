import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { swapWords, wordSwaps, DEFAULT_WORD_SWAPS } from '../../planner/encode/word-swaps.ts';
import type { WordVectorTable } from '../../planner/encode/word-vectors.ts';
import { handwrittenTraining } from '../../scripts/fixtures-gen/default-training.ts';
import { loadHandwritten } from '../../bench/planner-handwritten.ts';

/** A table ranked by frequency: `the` first, then the rest; 2-d vectors make cosines easy to read. */
function table(rows: [string, number, number][]): WordVectorTable {
  return { dim: 2, words: rows.map((r) => r[0]), vectors: Float32Array.from(rows.flatMap((r) => [r[1], r[2]])) };
}
const options = { ...DEFAULT_WORD_SWAPS, minCount: 2, minRank: 2, maxRank: 100, skipMostFrequent: 1, top: 2 };

test('wordSwaps: a word the texts use often gets the close, rarer words they never use, nearest first', () => {
  const t = table([
    ['the', 1, 0], // the most frequent: never swapped
    ['sad', 1, 0.1],
    ['gloomy', 1, 0.2], // close, unused: a neighbour
    ['bleak', 1, 0.3], // close, unused: a neighbour
    ['tragic', 1, 0.4], // close, unused, but only the top 2 are kept
    ['happy', -1, 0], // far
    ['unhappy', 1, 0.15], // close but used by the texts: not new to a model
  ]);
  const texts = ['is it sad', 'so sad and unhappy', 'the the', 'unhappy'];
  const swaps = wordSwaps(t, texts, options);
  assert.equal(swaps.get('sad'), ['gloomy', 'bleak']);
  assert.not.ok(swaps.has('the'), 'function words are not swapped');
  assert.not.ok(swaps.has('happy'), 'a word the texts do not use is not lent');
  // Ranked before minRank: too common to be a neighbour.
  assert.equal(wordSwaps(t, texts, { ...options, minRank: 4 }).get('sad'), ['tragic']);
  // Under the least cosine: none.
  assert.not.ok(wordSwaps(t, texts, { ...options, minCosine: 0.9999 }).has('sad'));
});

test('swapWords: swaps with the given share, leaves paths whole, and is the same for the same random numbers', () => {
  const swaps = new Map([['sad', ['gloomy']], ['notes', ['jottings']]]);
  assert.is(swapWords('Is notes/song.md too sad?', swaps, 1, () => 0), 'Is notes/song.md too gloomy?');
  assert.is(swapWords('Is it too sad?', swaps, 0, () => 0), 'Is it too sad?');
  assert.is(swapWords('Sad notes', swaps, 1, () => 0.5), 'gloomy jottings');
  let k = 0;
  const seq = () => [0.1, 0, 0.9][k++ % 3]; // swap (0.1 < 0.5), pick the first neighbour (0), keep (0.9)
  const once = swapWords('sad sad', swaps, 0.5, seq);
  k = 0;
  assert.is(swapWords('sad sad', swaps, 0.5, seq), once);
  assert.is(once, 'gloomy sad');
});

test('hand-written training copies: the first as written, the others swapped; the same context sentences with swaps or without', () => {
  const train = loadHandwritten().filter((r) => r.split === 'train').slice(0, 40);
  const plain = handwrittenTraining(train, 3, 43);
  const none = handwrittenTraining(train, 3, 43, new Map());
  assert.equal(none, plain, 'no swappable word: the copies are the plain ones');
  const everyWord = new Map<string, string[]>();
  for (const e of plain) for (const w of e.request.toLowerCase().match(/[a-z]+/g) ?? []) everyWord.set(w, ['zzswap']);
  const swapped = handwrittenTraining(train, 3, 43, everyWord);
  assert.is(swapped.length, plain.length);
  swapped.forEach((e, i) => {
    assert.equal(e.nodes, plain[i].nodes);
    if (e.id.endsWith('~0')) assert.is(e.request, plain[i].request, 'the first copy is the request as written');
  });
  const further = swapped.filter((e) => !e.id.endsWith('~0'));
  // A quarter of the words (SWAP_SHARE): nearly every copy of a sentence has one swapped, and some words stay.
  assert.ok(further.filter((e) => e.request.includes('zzswap')).length >= 0.9 * further.length, 'nearly every further copy has a word swapped');
  assert.ok(further.every((e) => /\b(?!zzswap\b)[a-z]{3,}\b/i.test(e.request)), 'not every word is swapped');
});

test.run();
