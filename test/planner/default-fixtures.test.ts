import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { generateFixtures, toJsonl, DEFAULT_SEED } from '../../scripts/fixtures-gen/generate.ts';
import { builtinCatalog } from '../../scripts/fixtures-gen/export-catalog.ts';
import { loadCatalog, catalogFingerprint } from '../../planner/catalog.ts';
import { loadExamplesJsonl } from '../../planner/data/jsonl.ts';
import { DEFAULT_CATALOG_FILE, DEFAULT_MODEL_DIR, modelText, readPreprocessing } from '../../planner/default-model.ts';
import { forgetRequests, forgetUnmatched, handwrittenTraining } from '../../scripts/fixtures-gen/default-training.ts';
import { loadHandwritten } from '../../bench/planner-handwritten.ts';
import { isEnsemble, loadAnyModel } from '../../planner/model/io.ts';
import { parseJsonLines } from '../../planner/data/jsonl.ts';

const manifest = JSON.parse(readFileSync('fixtures/planner/manifest.json', 'utf8'));
const count = manifest.counts.train + manifest.counts.dev + manifest.counts.test;

test('the committed training set is exactly what the seeded generator writes', () => {
  assert.is(manifest.seed, DEFAULT_SEED);
  const set = generateFixtures(DEFAULT_SEED, count);
  for (const split of ['train', 'dev', 'test'] as const) {
    assert.ok(readFileSync(`fixtures/planner/${split}.jsonl`, 'utf8') === toJsonl(split, set[split]), `${split}.jsonl differs from the generator output`);
  }
});

test('at least 1,000 distinct instructions, many with parallel branches, every link a hand-off of the default catalog', () => {
  const catalog = loadCatalog(DEFAULT_CATALOG_FILE);
  const links = new Set(catalog.links.map((l) => `${l.source}>${l.target}`));
  const all = ['train', 'dev', 'test'].flatMap((s) => loadExamplesJsonl(`fixtures/planner/${s}.jsonl`));
  assert.ok(all.length >= 1000);
  assert.is(new Set(all.map((e) => e.request.toLowerCase())).size, all.length);
  let parallel = 0;
  for (const e of all) {
    for (const l of e.links) assert.ok(links.has(`${l.source}>${l.target}`), `${e.id}: ${l.source} -> ${l.target}`);
    // nodes are in execution order: every link goes forward
    for (const l of e.links) assert.ok(e.nodes.indexOf(l.source) < e.nodes.indexOf(l.target), e.id);
    const fanOut = new Map<string, number>();
    for (const l of e.links) fanOut.set(l.source, (fanOut.get(l.source) ?? 0) + 1);
    if ([...fanOut.values()].some((n) => n > 1)) parallel++;
  }
  assert.ok(parallel > all.length / 3, `only ${parallel} plans with a fan-out`);
  assert.ok(all.some((e) => e.nodes.includes('sentiment') && e.nodes.includes('text-stats') && e.nodes.includes('extract-keywords') && e.nodes.includes('compose-report')));
  assert.ok(all.some((e) => e.links.some((l) => l.source === 'extract-text' && l.target === 'summarise') && e.links.some((l) => l.source === 'extract-text' && l.target === 'extract-figures')));
});

test('some requests end with a sentence no worker does, listed as unmatched; the model remembers them without it', () => {
  const raw = parseJsonLines(readFileSync('fixtures/planner/train.jsonl', 'utf8'), 'train.jsonl').map(({ value }) => value as { id: string; request: string; unmatched?: string[] });
  const undone = raw.filter((r) => r.unmatched);
  assert.ok(undone.length > raw.length / 50 && undone.length < raw.length / 5, `${undone.length} of ${raw.length}`);
  for (const r of undone) assert.ok(r.request.endsWith(` ${r.unmatched![0]}`), r.id);
  const memory = { requests: ['Summarise a.md. Then mail the result to Dana.', 'Chart b.csv.'], plans: [['summarise'], ['csv-stats']] };
  forgetUnmatched(memory, [{ id: 'x', request: memory.requests[0], nodes: [], links: [] }], new Map([['x', ['Then mail the result to Dana.']]]));
  assert.equal(memory.requests, ['Summarise a.md.', 'Chart b.csv.']);
  // The committed model's remembered requests carry none of those sentences (the open-world check reads them as known words).
  const model = loadAnyModel(DEFAULT_MODEL_DIR);
  const remembered = new Set((isEnsemble(model) ? model.members[0] : model).memory.requests);
  const sentences = new Set(undone.map((r) => r.unmatched![0]));
  const lastSentence = (r: string) => r.slice(r.lastIndexOf('. ') + 2);
  assert.ok(undone.some((r) => sentences.has(lastSentence(r.request))), 'the check below finds the sentences it looks for');
  for (const r of remembered) assert.not.ok(sentences.has(lastSentence(r)), r);
});

test('hand-written training requests: doable ones only, copies varied by context sentences, and none of them in the committed model\'s memory', () => {
  const train = loadHandwritten().filter((r) => r.split === 'train');
  const real = handwrittenTraining(train, 3, 43);
  const doable = train.filter((r) => !r.unmatched && r.nodes.length > 0);
  assert.is(real.length, 3 * doable.length);
  assert.equal(real.slice(0, 3).map((e) => e.nodes), [doable[0].nodes, doable[0].nodes, doable[0].nodes]);
  assert.is(real[0].request, doable[0].request);
  assert.ok(new Set(real.map((e) => e.request)).size > 1.5 * doable.length, 'some copies carry a context sentence');
  assert.equal(handwrittenTraining(train, 3, 43), real, 'same seed, same copies');
  // forgetRequests drops an entry from every parallel array.
  const memory = { requests: ['a', 'b', 'c'], plans: [['x'], ['y'], ['z']] };
  forgetRequests(memory, new Set(['b']));
  assert.equal(memory, { requests: ['a', 'c'], plans: [['x'], ['z']] });
  // The committed model was trained on them but remembers none: their words must not count as known to the open-world check.
  const model = loadAnyModel(DEFAULT_MODEL_DIR);
  const pre = readPreprocessing(DEFAULT_MODEL_DIR);
  const remembered = new Set((isEnsemble(model) ? model.members[0] : model).memory.requests);
  for (const r of doable) assert.not.ok(remembered.has(modelText(r.request, pre)) || remembered.has(modelText(r.request, { maskPaths: true })), `${r.id} is remembered`);
});

test('the committed catalog is the built-in workers catalog (no drift from workflows/catalog.ts)', () => {
  assert.is(catalogFingerprint(loadCatalog(DEFAULT_CATALOG_FILE)), catalogFingerprint(builtinCatalog()));
});

test.run();
