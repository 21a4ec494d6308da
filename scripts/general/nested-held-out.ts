/**
 * The development protocol for the general planner, which never touches the held-out split that
 * bench/planner-zero-shot.ts scores (see nested-splits.ts): on each of five nested splits, score the
 * inner held-out requests zero-shot and with 20 of them as few-shot memory. Prints node and link
 * F1 per seed and their mean.
 * Run: node --import tsx scripts/general/nested-held-out.ts [--data ../shared/data/ultratool] [--seeds 7,11,13,17,19]
 */
import { parseArgs } from 'node:util';
import { evaluate } from '../../planner/eval.ts';
import { adaptWithExamples, createGeneralPlanner, type GeneralModel } from '../../planner/general/index.ts';
import { nestedSplits, NESTED_SEEDS } from './nested-splits.ts';

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data/ultratool' }, seeds: { type: 'string', default: NESTED_SEEDS.join(',') } } });
const seeds = values.seeds!.split(',').map(Number);
const mean = [0, 0, 0, 0];
console.log('seed  zero-shot NF/LF  20 examples NF/LF');
for (const { seed, model, catalog, few, scored } of nestedSplits(values.data!, seeds)) {
  const score = (m: GeneralModel) => {
    const planner = createGeneralPlanner(m, catalog);
    return evaluate((s) => planner.plan(s), scored, catalog);
  };
  const zero = score(model), shown = score(adaptWithExamples(model, few, catalog));
  const row = [zero.nodeF1, zero.linkF1, shown.nodeF1, shown.linkF1].map((x) => 100 * x);
  row.forEach((x, i) => { mean[i] += x / seeds.length; });
  console.log(`${String(seed).padEnd(5)} ${row[0].toFixed(2)} / ${row[1].toFixed(2)}    ${row[2].toFixed(2)} / ${row[3].toFixed(2)}`);
}
console.log(`mean  ${mean[0].toFixed(2)} / ${mean[1].toFixed(2)}    ${mean[2].toFixed(2)} / ${mean[3].toFixed(2)}`);
