import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Catalog } from './types.ts';
import { loadCatalog } from './catalog.ts';
import { loadModel } from './model/io.ts';
import { catalogFingerprint, type PlannerModel } from './model/planner.ts';

/**
 * The default planner: weights trained on the project's own training set for the default catalog
 * (the built-in workers), committed under `fixtures/planner/`, so a fresh clone plans with no
 * download. Rebuilt by `node --import tsx planner/fixtures-gen/train-default.ts`.
 */

/** `fixtures/planner/model`: `model.json` + `weights.bin`. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../fixtures/planner/model', import.meta.url));
/** `fixtures/planner/catalog.json`: the default catalog the model was trained on. */
export const DEFAULT_CATALOG_FILE = fileURLToPath(new URL('../fixtures/planner/catalog.json', import.meta.url));
/** The default training set: `train.jsonl`, `dev.jsonl`, `test.jsonl`. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../fixtures/planner', import.meta.url));

const cache = new Map<string, PlannerModel>();

/**
 * Loads (once per process and directory) a saved planner; with `catalog`, refuses a model trained
 * on another catalog with an error naming the directory and the difference.
 *
 * @example
 * const model = loadPlannerModel(DEFAULT_MODEL_DIR);
 */
export function loadPlannerModel(dir: string = DEFAULT_MODEL_DIR, catalog?: Catalog): PlannerModel {
  if (!existsSync(dir)) throw new Error(`${dir}: no planner model here (expected model.json and weights.bin; train one with \`orchestai train\`)`);
  let model = cache.get(dir);
  if (!model) {
    model = loadModel(dir);
    cache.set(dir, model);
  }
  // Checked on every call: the same directory may be asked for with another catalog. On a
  // mismatch, loadModel with the catalog throws the error that names what differs.
  if (catalog && catalogFingerprint(catalog) !== model.fingerprint) loadModel(dir, catalog);
  return model;
}

/**
 * The default catalog as committed next to the default model.
 *
 * @example
 * defaultCatalog().tools.map((t) => t.name) // ['read-file', 'extract-text', ...]
 */
export function defaultCatalog(): Catalog {
  return loadCatalog(DEFAULT_CATALOG_FILE);
}
