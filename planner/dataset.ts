import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, Example } from './types.ts';
import { loadCatalog } from './catalog.ts';
import { loadExamplesJsonl } from './data/jsonl.ts';
import { dataFileIn, loadUltraTool } from './data/ultratool.ts';
import { carveDevSplit } from './data/split.ts';
import { DEFAULT_CATALOG_FILE } from './default-model.ts';

/**
 * What `train --data` and `eval --data` accept, resolved to a catalog and train/dev/test examples:
 * - a directory in GNN4TaskPlan's layout, e.g. UltraTool (`data.json` as published, or `data.jsonl`;
 *   `tool_desc.json`, `graph_desc.json`, `split_ids.json`): the official test ids, and a dev split
 *   carved from the training ids (with `fileRole: 'test'` and no `split_ids.json`, every request is a test one);
 * - a directory of our JSONL (`train.jsonl`, optional `dev.jsonl`, `test.jsonl`, `catalog.json`;
 *   with `fileRole: 'test'`, `train.jsonl` may be left out);
 * - one JSONL file (all training, dev carved from it; or, with `fileRole: 'test'`, all test).
 */
export interface Dataset {
  kind: 'ultratool' | 'jsonl';
  /** Where the catalog came from, for messages. */
  catalogSource: string;
  catalog: Catalog;
  train: Example[];
  dev: Example[];
  test: Example[];
}

export interface DatasetOptions {
  /** A catalog or catalog file; default: the UltraTool dir's own, else `<dir>/catalog.json`, else the default catalog. */
  catalog?: Catalog | string;
  /** Seed of the dev carve. Default 42. */
  seed?: number;
  /** Share of training ids carved out for dev when no dev split is given. Default 0.1. */
  devFraction?: number;
  /** What the data is for: training (the default; a single JSONL file has dev carved from it) or scoring (a single file is all test; a directory needs no train.jsonl). */
  fileRole?: 'train' | 'test';
  /**
   * The catalog of data that names none (a JSONL file, or a directory without catalog.json), when
   * not the built-in one: a project's own workers, say. An explicit `catalog` still wins.
   */
  fallbackCatalog?: { catalog: Catalog; source: string };
}

function byIds(examples: readonly Example[], ids: readonly string[]): Example[] {
  const map = new Map(examples.map((e) => [e.id, e]));
  return ids.map((id) => map.get(id)!);
}

/** Every example must use catalog workers only; the first that does not is named with its file. */
function checkWorkers(examples: readonly Example[], catalog: Catalog, file: string, catalogSource: string): void {
  const names = new Set(catalog.tools.map((t) => t.name));
  for (const e of examples) {
    const bad = e.nodes.find((n) => !names.has(n));
    if (bad) throw new Error(`${file}: example "${e.id}" uses worker "${bad}", which is not in the catalog (${catalogSource})`);
  }
}

/**
 * Resolves `--data` into a dataset.
 *
 * @example
 * const ds = loadDataset('../shared/data/ultratool'); ds.test.length // 500
 * const own = loadDataset('fixtures/planner');        // train/dev/test.jsonl over the default catalog
 */
export function loadDataset(path: string, options: DatasetOptions = {}): Dataset {
  if (!existsSync(path)) throw new Error(`${path}: no such data file or directory`);
  const seed = options.seed ?? 42;
  const fraction = options.devFraction ?? 0.1;
  const given = typeof options.catalog === 'string' ? loadCatalog(options.catalog) : options.catalog;
  const givenSource = typeof options.catalog === 'string' ? options.catalog : 'the given catalog';
  if (statSync(path).isDirectory()) {
    const dataFile = dataFileIn(path);
    if (dataFile && existsSync(join(path, 'tool_desc.json'))) {
      const u = loadUltraTool(path, { allTestWithoutSplit: options.fileRole === 'test' });
      const catalog = given ?? u.catalog;
      const { train, dev } = carveDevSplit(u.trainIds, fraction, seed);
      const ds: Dataset = { kind: 'ultratool', catalogSource: given ? givenSource : path, catalog, train: byIds(u.examples, train), dev: byIds(u.examples, dev), test: byIds(u.examples, u.testIds) };
      checkWorkers(u.examples, catalog, dataFile, ds.catalogSource);
      return ds;
    }
    const trainFile = join(path, 'train.jsonl');
    // Scoring needs no training requests: a user's catalog.json + test.jsonl is enough for `eval --zero-shot`.
    const scoringOnly = options.fileRole === 'test' && !existsSync(trainFile) && ['test.jsonl', 'dev.jsonl'].some((f) => existsSync(join(path, f)));
    if (!existsSync(trainFile) && !scoringOnly) throw new Error(`${path}: not a data directory (expected GNN4TaskPlan's data.json (or data.jsonl) + tool_desc.json, or train.jsonl${options.fileRole === 'test' ? ', test.jsonl or dev.jsonl' : ''})`);
    const own = join(path, 'catalog.json');
    const fallback = !given && !existsSync(own) ? options.fallbackCatalog : undefined;
    const catalogSource = fallback ? fallback.source : given ? givenSource : existsSync(own) ? own : DEFAULT_CATALOG_FILE;
    const catalog = fallback?.catalog ?? given ?? loadCatalog(catalogSource);
    let train = scoringOnly ? [] : loadExamplesJsonl(trainFile);
    checkWorkers(train, catalog, trainFile, catalogSource);
    let dev: Example[];
    const devFile = join(path, 'dev.jsonl');
    if (existsSync(devFile)) {
      dev = loadExamplesJsonl(devFile);
      checkWorkers(dev, catalog, devFile, catalogSource);
    } else {
      const split = carveDevSplit(train.map((e) => e.id), fraction, seed);
      dev = byIds(train, split.dev);
      train = byIds(train, split.train);
    }
    const testFile = join(path, 'test.jsonl');
    const test = existsSync(testFile) ? loadExamplesJsonl(testFile) : [];
    checkWorkers(test, catalog, testFile, catalogSource);
    return { kind: 'jsonl', catalogSource, catalog, train, dev, test };
  }
  const fallback = given ? undefined : options.fallbackCatalog;
  const catalogSource = fallback ? fallback.source : given ? givenSource : DEFAULT_CATALOG_FILE;
  const catalog = fallback?.catalog ?? given ?? loadCatalog(catalogSource);
  const all = loadExamplesJsonl(path);
  checkWorkers(all, catalog, path, catalogSource);
  if (options.fileRole === 'test') return { kind: 'jsonl', catalogSource, catalog, train: [], dev: [], test: all };
  const split = carveDevSplit(all.map((e) => e.id), fraction, seed);
  return { kind: 'jsonl', catalogSource, catalog, train: byIds(all, split.train), dev: byIds(all, split.dev), test: [] };
}
