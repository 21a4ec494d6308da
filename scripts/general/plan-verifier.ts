/**
 * How much better the plan verifier (planner/general/verifier.ts) flags the general planner's
 * wrong plans than the plan's own confidence does. A plan's confidence is its least step
 * probability; the verifier is a logistic model over ten features of the plan and the request
 * (`verifierFeatures`), fitted on whether zero-shot plans of tools the model never saw were exactly
 * right. The shipped one is fitted by fit-verifier.ts; here, on the nested splits' plans.
 *
 * 1. Nested splits (see nested-splits.ts), leave one seed out: AUC of each score for "plan exactly
 *    right", wrong plans flagged when 10% of right ones are, and right plans flagged when 90% of
 *    wrong ones are.
 * 2. Fitted on all five seeds, on the catalogs of fixtures/planner/catalogs (both halves, with and
 *    without their graph, the shipped model): AUC, and the flags at the confidence's own threshold
 *    against the verifier's at the nested 90%-of-wrong threshold (wrong flagged / right flagged).
 *
 * Run: node --import tsx scripts/general/plan-verifier.ts (about a minute)
 */
import { join } from 'node:path';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { createGeneralPlanner, loadGeneralModel } from '../../planner/general/index.ts';
import { judgedPlans } from '../../planner/general/fit-verifier.ts';
import { fitLogistic, logit } from '../../planner/general/logistic.ts';
import { CATALOGS_DIR, catalogFolders } from '../../bench/planner-new-catalogs.ts';
import { nestedSplits } from './nested-splits.ts';

/** Area under the ROC curve of `scores` for `labels` (ties count half). */
function auc(scores: readonly number[], labels: readonly boolean[]): number {
  const pos = scores.filter((_, i) => labels[i]), neg = scores.filter((_, i) => !labels[i]);
  let c = 0;
  for (const a of pos) for (const b of neg) c += a > b ? 1 : a === b ? 0.5 : 0;
  return c / Math.max(1, pos.length * neg.length);
}

/** The score under which `share` of `xs` fall. */
const quantile = (xs: readonly number[], share: number) => [...xs].sort((a, b) => a - b)[Math.floor(share * xs.length)];
const pct = (n: number, d: number) => (100 * n / Math.max(1, d)).toFixed(1);

const seeds = [...nestedSplits('../shared/data/ultratool')].map(({ model, catalog, scored }) => judgedPlans(model, catalog, scored));
const out = { confidence: [] as number[], verifier: [] as number[], right: [] as boolean[] };
seeds.forEach((_, k) => {
  const train = seeds.filter((__, j) => j !== k).flat();
  const v = fitLogistic(train.map((r) => r.features), train.map((r) => (r.right ? 1 : 0)));
  for (const r of seeds[k]) { out.confidence.push(r.confidence); out.verifier.push(logit(v, r.features)); out.right.push(r.right); }
});
console.log(`nested splits, leave one seed out (${out.right.filter(Boolean).length} right plans, ${out.right.filter((r) => !r).length} wrong)`);
for (const key of ['confidence', 'verifier'] as const) {
  const sc = out[key];
  const right = sc.filter((_, i) => out.right[i]), wrong = sc.filter((_, i) => !out.right[i]);
  const t10 = quantile(right, 0.1), t90 = quantile(wrong, 0.9);
  console.log(`  ${key.padEnd(10)} AUC ${auc(sc, out.right).toFixed(3)}; at 10% of right plans flagged, wrong flagged ${pct(wrong.filter((x) => x < t10).length, wrong.length)}%; at 90% of wrong flagged, right flagged ${pct(right.filter((x) => x < t90).length, right.length)}%`);
}

const all = seeds.flat();
const verifier = fitLogistic(all.map((r) => r.features), all.map((r) => (r.right ? 1 : 0)));
const cut = quantile(all.filter((r) => !r.right).map((r) => logit(verifier, r.features)), 0.9);
const shipped = loadGeneralModel();
console.log('\ncatalogs no model trained on (shipped model): AUC confidence / verifier; flags (wrong, right) at the confidence\'s threshold / at the verifier\'s nested 90%-of-wrong threshold');
for (const name of catalogFolders()) {
  const data = loadUltraTool(join(CATALOGS_DIR, name));
  const scored = new Set(data.testIds);
  for (const [half, examples] of [['development', data.examples.filter((e) => !scored.has(e.id))], ['scored', data.examples.filter((e) => scored.has(e.id))]] as const) {
    for (const catalog of [data.catalog, { ...data.catalog, links: [] }]) {
      const rows = judgedPlans(shipped, catalog, examples);
      const right = rows.map((r) => r.right);
      const v = rows.map((r) => logit(verifier, r.features));
      const threshold = createGeneralPlanner(shipped, catalog).threshold;
      const flags = (sc: number[], t: number) => `${sc.filter((x, i) => !right[i] && x < t).length}/${right.filter((r) => !r).length}, ${sc.filter((x, i) => right[i] && x < t).length}/${right.filter(Boolean).length}`;
      console.log(`  ${name.padEnd(7)} ${half.padEnd(11)} ${catalog.links.length ? 'graph   ' : 'no graph'}  AUC ${auc(rows.map((r) => r.confidence), right).toFixed(3)} / ${auc(v, right).toFixed(3)}  flags ${flags(rows.map((r) => r.confidence), threshold)} / ${flags(v, cut)}`);
    }
  }
}
