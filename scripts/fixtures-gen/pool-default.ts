/**
 * Makes the default planner an ensemble: models trained by `train-default.ts` from different seeds
 * are pooled (their next-step log-probabilities averaged, int8 weights) into
 * `fixtures/planner/model/`, with the ensemble's own figures in `metrics.json`. Why pool: on the
 * hand-written requests, single models from different seeds each get a different handful wrong;
 * the pooled plan keeps what most of them agree on, and the members' own plans, compared with it,
 * say how far to trust it (`calibrate-default.ts`, then `planner/calibration/member-agreement.ts`).
 *
 * Run: `node --import tsx scripts/fixtures-gen/pool-default.ts --from /tmp/m42 --from /tmp/m43 --from /tmp/m44 --from /tmp/m45 --from /tmp/m46 [--out fixtures/planner/model]`
 */
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../../planner/dataset.ts';
import { DEFAULT_CATALOG_FILE, DEFAULT_DATA_DIR, DEFAULT_MODEL_DIR, modelText, readPreprocessing, PREPROCESS_FILE } from '../../planner/default-model.ts';
import { evaluate } from '../../planner/eval.ts';
import { buildEnsemble } from '../../planner/model/ensemble.ts';
import { loadModel, saveEnsemble } from '../../planner/model/io.ts';
import type { Example } from '../../planner/types.ts';
import { figures } from './default-training.ts';

/**
 * The pooled plan drops a last step it gives under this probability (`DecodeOptions.minLeafProb`).
 * Chosen on the dev half of the hand-written set: exact plans 88 -> 89 of 94 for any value from 0.52
 * to 0.78 (0.65 is the middle), 764 of 800 generated dev requests right with or without it.
 */
const MIN_LEAF_PROB = 0.65;

/** Files of a single-model directory that an ensemble directory must not keep (the loader would be ambiguous). */
const SINGLE_MODEL_FILES = ['model.json', 'weights.bin', 'calibration.json', 'check'];

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { from: { type: 'string', multiple: true }, out: { type: 'string' } } });
  const from = values.from ?? [];
  if (from.length < 2) throw new Error('pool-default: name at least two trained model directories with --from');
  const out = values.out ?? DEFAULT_MODEL_DIR;
  const members = from.map((d) => loadModel(d));
  const memberMetrics = from.map((d) => JSON.parse(readFileSync(join(d, 'metrics.json'), 'utf8')));
  for (const f of SINGLE_MODEL_FILES) rmSync(join(out, f), { recursive: true, force: true });
  // Each member keeps its own decoding; the pooled plan uses the first member's, with the leaf rule and
  // links by type (the built-in catalog's labels follow its types: see DecodeOptions.linkByType).
  const ensemble = buildEnsemble(members, { decode: { minLeafProb: MIN_LEAF_PROB, linkByType: true } });
  const { bytes } = saveEnsemble(ensemble, out);
  copyFileSync(join(from[0], PREPROCESS_FILE), join(out, PREPROCESS_FILE));
  const pre = readPreprocessing(out);
  const raw = loadDataset(DEFAULT_DATA_DIR, { catalog: DEFAULT_CATALOG_FILE });
  const masked = (xs: Example[]) => xs.map((e) => ({ ...e, request: modelText(e.request, pre) }));
  const metrics = {
    command: `node --import tsx scripts/fixtures-gen/pool-default.ts ${from.map((d) => `--from ${d}`).join(' ')}`,
    members: memberMetrics.map((m) => ({ command: m.command, trainSeconds: m.trainSeconds, test: m.model.test })),
    data: memberMetrics[0].data,
    bytes: statSync(join(out, 'weights.bin')).size + statSync(join(out, 'ensemble.json')).size,
    preprocessing: pre,
    fingerprint: ensemble.fingerprint,
    model: { dev: figures(evaluate((s) => ensemble.plan(s), masked(raw.dev), raw.catalog)), test: figures(evaluate((s) => ensemble.plan(s), masked(raw.test), raw.catalog)) },
    knn: memberMetrics[0].knn,
  };
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  if (!existsSync(join(out, 'ensemble.json'))) throw new Error(`pool-default: ${out}/ensemble.json was not written`);
  console.log(JSON.stringify(metrics.model), `\nsaved ${from.length} members to ${out} (${bytes} bytes)`);
}
