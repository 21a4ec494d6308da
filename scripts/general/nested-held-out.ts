/**
 * The development protocol for the general planner, which never touches the held-out split that
 * bench/planner-zero-shot.ts scores: inside UltraTool's seen side (official training requests
 * whose plans use none of the 52 held-out tools), hold out 20% of the seen tools again with each of
 * five seeds, fit on the rest (10% of it as dev), and score the inner held-out requests zero-shot
 * and with 20 of them as few-shot memory. Prints node and link F1 per seed and their mean.
 * Run: node --import tsx scripts/general/nested-held-out.ts [--data ../shared/data/ultratool] [--seeds 7,11,13,17,19]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { carveDevSplit, holdOutTools, shuffled } from '../../planner/data/split.ts';
import { evaluate } from '../../planner/eval.ts';
import { adaptWithExamples, createGeneralPlanner, fitGeneralModel, type GeneralModel } from '../../planner/general/index.ts';

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data/ultratool' }, seeds: { type: 'string', default: '7,11,13,17,19' } } });
const data = loadUltraTool(resolve(values.data!));
const outer = holdOutTools(data.catalog, data.examples, 0.2, 42);
const official = new Set(data.trainIds);
const seenTrain = outer.seenExamples.filter((e) => official.has(e.id));
const seeds = values.seeds!.split(',').map(Number);
const mean = [0, 0, 0, 0];
console.log('seed  zero-shot NF/LF  20 examples NF/LF');
for (const seed of seeds) {
  const inner = holdOutTools(outer.seenCatalog, seenTrain, 0.2, seed);
  const byId = new Map(inner.seenExamples.map((e) => [e.id, e]));
  const { train, dev } = carveDevSplit(inner.seenExamples.map((e) => e.id), 0.1, seed);
  const held = shuffled(inner.heldOutExamples, seed);
  const few = held.slice(0, 20), scored = held.slice(20);
  // Fitted over the inner seen tools, planned over all seen tools (the inner held-out ones are new to it).
  const model = fitGeneralModel(train.map((i) => byId.get(i)!), inner.seenCatalog, { dev: dev.map((i) => byId.get(i)!) });
  const score = (m: GeneralModel) => {
    const planner = createGeneralPlanner(m, outer.seenCatalog);
    return evaluate((s) => planner.plan(s), scored, outer.seenCatalog);
  };
  const zero = score(model), shown = score(adaptWithExamples(model, few, outer.seenCatalog));
  const row = [zero.nodeF1, zero.linkF1, shown.nodeF1, shown.linkF1].map((x) => 100 * x);
  row.forEach((x, i) => { mean[i] += x / seeds.length; });
  console.log(`${String(seed).padEnd(5)} ${row[0].toFixed(2)} / ${row[1].toFixed(2)}    ${row[2].toFixed(2)} / ${row[3].toFixed(2)}`);
}
console.log(`mean  ${mean[0].toFixed(2)} / ${mean[1].toFixed(2)}    ${mean[2].toFixed(2)} / ${mean[3].toFixed(2)}`);
