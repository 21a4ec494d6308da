import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { catalogFingerprint, catalogToJson, loadCatalog, parseCatalog } from '../../planner/catalog.ts';
import { DEFAULT_MODEL_DIR, defaultCatalog } from '../../planner/default-model.ts';
import { isEnsemble, loadAnyModel, loadModel, saveModel } from '../../planner/model/io.ts';
import { loadUltraToolCatalog } from '../../planner/data/ultratool.ts';
import { adaptModel } from '../../planner/train.ts';

const tmp = mkdtempSync(join(tmpdir(), 'orchestai-fingerprint-'));
/** The default planner as one model (its first member when it is an ensemble), saved as model.json + weights.bin. */
const SINGLE = join(tmp, 'default-single');
const defaultModel = loadAnyModel(DEFAULT_MODEL_DIR);
saveModel(isEnsemble(defaultModel) ? defaultModel.members[0] : defaultModel, SINGLE);
// As bench/planner.ts finds it: never copied into the repository.
const ULTRATOOL = resolve(import.meta.dirname, '../..', process.env.ORCHESTAI_ULTRATOOL ?? '../shared/data/ultratool');

test('a catalog file keeps descriptions as written (a trailing space too) and still refuses blank ones', () => {
  const file = join(tmp, 'spaced.json');
  writeFileSync(file, JSON.stringify({ tools: [{ name: 'a', description: 'Query for Train Ticket ' }] }));
  assert.is(loadCatalog(file).tools[0].description, 'Query for Train Ticket ');
  assert.throws(() => parseCatalog({ tools: [{ name: 'a', description: '  ' }] }, 'blank.json'), /blank\.json: invalid catalog: tools\[0\]\.description: must be a non-empty description/);
});

test('the fingerprint ignores whitespace around and inside descriptions, not their words', () => {
  const cat = (description: string) => ({ tools: [{ name: 'a', description }], links: [] });
  assert.is(catalogFingerprint(cat('Query for Train Ticket ')), catalogFingerprint(cat('Query for  Train Ticket')));
  assert.is.not(catalogFingerprint(cat('Query for Train Ticket')), catalogFingerprint(cat('Query for Train Tickets')));
});

test('a saved model is matched by the fingerprint of its own catalog, recomputed, not the string stored with it', () => {
  const dir = join(tmp, 'stale');
  const manifest = JSON.parse(readFileSync(join(SINGLE, 'model.json'), 'utf8'));
  // As written by a version that hashed descriptions untrimmed: a stale fingerprint, a description with a trailing space.
  manifest.fingerprint = 'sha256:00000000000000000000000000000000';
  manifest.catalog.tools[0].description += ' ';
  saveManifest(dir, manifest);
  assert.is(loadModel(dir, defaultCatalog()).catalog.tools.length, defaultCatalog().tools.length);
  const other = { tools: [{ name: 'translate', description: 'Translates text' }], links: [] };
  assert.throws(() => loadModel(dir, other), /trained for another catalog .*tools only in the catalog: translate/);
});

test('UltraTool\'s catalog as published loads with --catalog and matches a model made for it', () => {
  if (!existsSync(join(ULTRATOOL, 'tool_desc.json'))) {
    console.log(`  skipped: no UltraTool data at ${ULTRATOOL} (set ORCHESTAI_ULTRATOOL)`);
    return;
  }
  const published = loadUltraToolCatalog(ULTRATOOL);
  assert.ok(published.tools.filter((t) => t.description.endsWith(' ')).length > 0, 'the published catalog has descriptions ending in a space');
  const dir = join(tmp, 'ultra-model');
  saveModel(adaptModel(loadModel(SINGLE), published), dir);
  const file = join(tmp, 'ultratool-catalog.json');
  writeFileSync(file, catalogToJson(published));
  for (const at of [file, ULTRATOOL, join(ULTRATOOL, 'graph_desc.json')]) {
    const catalog = loadCatalog(at);
    assert.is(catalogFingerprint(catalog), catalogFingerprint(published), at);
    assert.is(loadModel(dir, catalog).catalog.tools.length, 260, at);
  }
});

/** A model directory with this manifest and the default model's (first member's) weights. */
function saveManifest(dir: string, manifest: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
  copyFileSync(join(SINGLE, 'weights.bin'), join(dir, 'weights.bin'));
}

test.run();
