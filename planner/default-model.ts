import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from './types.ts';
import { loadCatalog } from './catalog.ts';
import { maskPaths, maskQuotes } from './slots.ts';
import { loadAnyModel, type AnyPlannerModel } from './model/io.ts';
import { readCalibration, withMemberAgreement, CALIBRATION_FILE } from './calibration/member-agreement.ts';
import { readSecondOpinion } from './second-opinion/io.ts';
import { secondOpinionVoter, withSecondOpinion } from './second-opinion/overrule.ts';
import { catalogFingerprint } from './model/planner.ts';
import { readJsonFile } from './data/json-file.ts';

/**
 * The default planner: weights trained on the project's own training set for the default catalog
 * (the built-in workers), committed under `fixtures/planner/`, so a fresh clone plans with no
 * download. Rebuilt by `node --import tsx scripts/fixtures-gen/train-default.ts`.
 */

/** `fixtures/planner/model`: `model.json` + `weights.bin`. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../fixtures/planner/model', import.meta.url));
/** `fixtures/planner/catalog.json`: the default catalog the model was trained on. */
export const DEFAULT_CATALOG_FILE = fileURLToPath(new URL('../fixtures/planner/catalog.json', import.meta.url));
/** The default training set: `train.jsonl`, `dev.jsonl`, `test.jsonl`. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../fixtures/planner', import.meta.url));

const cache = new Map<string, AnyPlannerModel>();

/**
 * Loads (once per process and directory) a saved planner, a single model or an ensemble (a
 * directory from `train --members N`); with `catalog`, refuses a model trained on another catalog
 * with an error naming the directory and the difference.
 *
 * @example
 * const model = loadPlannerModel(DEFAULT_MODEL_DIR);
 */
export function loadPlannerModel(dir: string = DEFAULT_MODEL_DIR, catalog?: Catalog): AnyPlannerModel {
  if (!existsSync(dir)) throw new Error(`${dir}: no planner model here (expected model.json or ensemble.json, and weights.bin; train one with \`orchestai train\`)`);
  let model = cache.get(dir);
  if (!model) {
    model = calibrated(loadAnyModel(dir), dir);
    cache.set(dir, model);
  }
  // Checked on every call: the same directory may be asked for with another catalog. On a
  // mismatch, loading with the catalog throws the error that names what differs.
  if (catalog && catalogFingerprint(catalog) !== model.fingerprint) loadAnyModel(dir, catalog);
  return model;
}

/**
 * The model with the second opinion saved next to it (`second-opinion.json`), if any, which may
 * overrule its plans (see `withSecondOpinion`), and then with the calibration (`calibration.json`),
 * if any: the confidence then also weighs whether independently trained check models or the
 * members plan the same (see `withMemberAgreement`), and the second opinion with them when the
 * calibration was chosen so (`secondOpinionVotes`).
 */
function calibrated(model: AnyPlannerModel, dir: string): AnyPlannerModel {
  const opinion = readSecondOpinion(dir);
  const overruling = opinion ? withSecondOpinion(model, opinion) : model;
  const c = readCalibration(dir);
  if (!c) return overruling;
  if (c.secondOpinionVotes && !opinion) throw new Error(`${join(dir, CALIBRATION_FILE)}: field "secondOpinionVotes" is true but ${dir} holds no second-opinion.json`);
  return withMemberAgreement(overruling, c, dir, opinion && c.secondOpinionVotes ? [secondOpinionVoter(opinion, model.catalog)] : []);
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

/** How instructions are rewritten before the model reads them; saved next to the weights so training and planning agree. */
export interface InputPreprocessing {
  /** Replace file paths by their kind (`file.csv`, `folder/`), see `maskPaths`. */
  maskPaths: boolean;
  /** Replace quoted passages (three words or more) by one placeholder, see `maskQuotes`: they are data to work on, not instructions. */
  maskQuotes?: boolean;
}

/** `preprocess.json` in a model directory; absent means the model reads raw instructions. */
export const PREPROCESS_FILE = 'preprocess.json';

/**
 * The preprocessing a saved model was trained with (raw text when the directory has no `preprocess.json`).
 *
 * @example
 * readPreprocessing(DEFAULT_MODEL_DIR) // { maskPaths: true }
 */
export function readPreprocessing(dir: string): InputPreprocessing {
  const file = join(dir, PREPROCESS_FILE);
  if (!existsSync(file)) return { maskPaths: false };
  const value = readJsonFile(file);
  if (typeof value?.maskPaths !== 'boolean') throw new Error(`${file}: field "maskPaths" must be true or false`);
  if (value.maskQuotes !== undefined && typeof value.maskQuotes !== 'boolean') throw new Error(`${file}: field "maskQuotes" must be true or false`);
  return { maskPaths: value.maskPaths, ...(value.maskQuotes ? { maskQuotes: true } : {}) };
}

/** Records the preprocessing next to a saved model.
 *
 * @example
 * writePreprocessing('models/mine', { maskPaths: true })
 */
export function writePreprocessing(dir: string, p: InputPreprocessing): void {
  writeFileSync(join(dir, PREPROCESS_FILE), JSON.stringify(p) + '\n');
}

/**
 * An instruction as a model with preprocessing `p` reads it.
 *
 * @example
 * modelText('Chart /tmp/a/sales.csv', { maskPaths: true }) // 'Chart file.csv'
 */
export function modelText(instruction: string, p: InputPreprocessing): string {
  const paths = p.maskPaths ? maskPaths(instruction) : instruction;
  return p.maskQuotes ? maskQuotes(paths) : paths;
}

/** Quoted passages are masked as `slots.ts` reads them (re-exported: the preprocessing's public name). */
export { maskQuotes, QUOTE_PLACEHOLDER } from './slots.ts';
