import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_FEATURES, featurize, fitIdf, sparseDot } from '../../planner/encode/features.ts';
import { Postings } from '../../planner/encode/postings.ts';
import { rankedBy } from '../../planner/general/decode.ts';
import { seededRandom } from '../../planner/data/split.ts';

/**
 * The planner's two per-catalog loops made cheaper: one text against every tool through an inverted
 * index (encode/postings.ts), and the ranking of every tool (general/decode.ts). Both must give the
 * very numbers and order of the plain versions, or plans would change with the catalog's size.
 */

const texts = [
  'Search for train tickets based on preferences',
  'Booking a Train ticket',
  'Cancel an existing train ticket booking',
  'Set a new alarm',
  'Change / Modify / Update an existing Alarm.',
  'SMS notification sending tool',
  '',
];

test('Postings.dots equals sparseDot with every vector, to the last bit', () => {
  const idf = fitIdf(texts, DEFAULT_FEATURES);
  const docs = texts.map((t) => featurize(t, DEFAULT_FEATURES, idf));
  const index = new Postings(docs, DEFAULT_FEATURES.dim);
  for (const query of ['book a train ticket and text me', 'wake me at 7 with an alarm', 'nothing in common zzz', '']) {
    const v = featurize(query, DEFAULT_FEATURES, idf);
    const dots = index.dots(v);
    assert.equal(dots.length, docs.length);
    docs.forEach((d, i) => assert.is(dots[i], sparseDot(v, d), `${query} / ${texts[i]}`));
  }
  // A query sharing words scores above one that shares none.
  const dots = index.dots(featurize('book a train ticket', DEFAULT_FEATURES, idf));
  assert.ok(dots[1] > dots[3]);
});

test('rankedBy orders by value, highest first, ties in index order, as a comparator sort does', () => {
  assert.equal(rankedBy([0.1, 2, -1, 2]), [1, 3, 0, 2]);
  assert.equal(rankedBy([]), []);
  const rand = seededRandom(5);
  for (const n of [1, 2, 3, 7, 64, 500]) {
    // Few distinct values, so most values tie.
    const xs = Float64Array.from({ length: n }, () => Math.round(rand() * 8) / 4 - 1);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[b] - xs[a] || a - b);
    assert.equal(rankedBy(xs), expected, `n = ${n}`);
  }
});

test.run();
