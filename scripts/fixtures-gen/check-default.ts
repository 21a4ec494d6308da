/**
 * Saves check models next to the default model: models trained like it from other seeds, stored
 * as an int8 ensemble in `fixtures/planner/model/check/`, whose plans vote on how far the default
 * model's plan can be trusted (see planner/calibration/member-agreement.ts).
 *
 * Run: `node --import tsx scripts/fixtures-gen/check-default.ts --from /tmp/check-43 [--from ...] [--out fixtures/planner/model/check]`
 * where each `--from` is a directory written by `train-default.ts --seed N --out dir`.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../../planner/default-model.ts';
import { buildEnsemble } from '../../planner/model/ensemble.ts';
import { loadModel, saveEnsemble } from '../../planner/model/io.ts';

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { from: { type: 'string', multiple: true }, out: { type: 'string' } } });
  const from = values.from ?? [];
  if (from.length === 0) throw new Error('check-default: name at least one trained model directory with --from');
  const out = values.out ?? join(DEFAULT_MODEL_DIR, 'check');
  // The members keep their own decoding and threshold: each plans on its own, as trained.
  const { bytes } = saveEnsemble(buildEnsemble(from.map((d) => loadModel(d))), out);
  console.log(`saved ${from.length} check model(s) to ${out} (${bytes} bytes)`);
}
