/**
 * The measurements behind the general planner's few-shot refit and its limits on the catalogs no
 * model trained on (fixtures/planner/catalogs), reproducible from main:
 * 1. development halves, the first 20 of the seed-42 shuffle remembered and the other 50 scored:
 *    zero-shot, memory alone, and the weights refitted (L2 1, 10 as shipped, 100) then memory;
 * 2. development halves, the first K (3, 5, 10) remembered and the last 60 scored: memory alone
 *    against refitted (the shipped rule refits from 10 on: `REFIT_MIN_EXAMPLES`);
 * 3. development halves, all 70: how often the gold tools rank among the model's top 3 / 5 / 8
 *    against plain tf-idf's, and node F1 when its top tools are cut at each request's gold length
 *    (an oracle length) beside its plans';
 * 4. the scored halves with 20 and 70 remembered: memory alone against refitted, the shipped rule
 *    (bench:planner-catalogs prints the refitted rows).
 * NF / LF are percentages. "Memory alone" is the model without the list of tools its training
 * requests used, which is what makes `adaptWithExamples` refit.
 * Run: node --import tsx scripts/general/refit-new-catalogs.ts (about a minute)
 */
import { join } from 'node:path';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { shuffled } from '../../planner/data/split.ts';
import { evaluate } from '../../planner/eval.ts';
import { adaptWithExamples, catalogView, createGeneralPlanner, fitGeneralModel, loadGeneralModel, GENERAL_MODEL_DIR, type GeneralModel } from '../../planner/general/index.ts';
import { readRequest } from '../../planner/general/features.ts';
import { stage2Logits } from '../../planner/general/model.ts';
import { rankedBy } from '../../planner/general/decode.ts';
import { featurize } from '../../planner/encode/features.ts';
import type { Catalog, Example, Plan } from '../../planner/types.ts';
import { asPlanned } from '../../bench/lib/zero-shot-rows.ts';
import { CATALOGS_DIR, catalogFolders } from '../../bench/planner-new-catalogs.ts';

const shipped = loadGeneralModel(GENERAL_MODEL_DIR);
const f2 = (x: number) => (100 * x).toFixed(2);

/** The model as `adaptWithExamples` sees it when it must not refit: no list of the tools it was trained on. */
function unrefittable(model: GeneralModel): GeneralModel {
  const { requested: _, ...trainedOn } = model.trainedOn;
  return { ...model, trainedOn };
}
const memoryAlone = (examples: Example[], catalog: Catalog) => adaptWithExamples(unrefittable(shipped), examples, catalog);
/** Refitted at `l2` (as `adaptWithExamples` does at 10), then the same memory choice. */
function refitted(examples: Example[], catalog: Catalog, l2: number): GeneralModel {
  const fitted = { ...fitGeneralModel(examples, catalog, { base: shipped, l2 }), confidenceWeights: { stage1: shipped.stage1, stage2: shipped.stage2 } };
  return adaptWithExamples(unrefittable(fitted), examples, catalog);
}
function score(model: GeneralModel, scored: Example[], catalog: Catalog): string {
  const ev = evaluate(asPlanned(createGeneralPlanner(model, catalog), catalog), scored, catalog);
  return `${f2(ev.nodeF1)} / ${f2(ev.linkF1)}`;
}

/** Share of gold tools among the top k of `rank`, for k = 3, 5, 8. */
function recalls(rankings: number[][], golds: number[][]): string {
  return [3, 5, 8].map((k) => {
    let hit = 0, all = 0;
    rankings.forEach((rank, i) => { const top = new Set(rank.slice(0, k)); for (const g of golds[i]) { all++; if (top.has(g)) hit++; } });
    return (100 * hit / all).toFixed(0);
  }).join(' / ');
}

/** A chain of the given tools, for scoring a ranking cut at some length. */
function chain(instruction: string, tools: string[]): Plan {
  return { instruction, confidence: 1, lowConfidence: false, source: 'model', nodes: tools.map((w, k) => ({ id: `n${k + 1}`, worker: w, dependsOn: k ? [`n${k}`] : [], confidence: 1 })) };
}

for (const name of catalogFolders()) {
  const { catalog, examples, trainIds, testIds } = loadUltraTool(join(CATALOGS_DIR, name));
  const byId = new Map(examples.map((e) => [e.id, e]));
  const dev = shuffled(trainIds, 42).map((i) => byId.get(i)!);
  const test = testIds.map((i) => byId.get(i)!);
  const [first20, other50] = [dev.slice(0, 20), dev.slice(20)];
  console.log(`\n${name}: 1. development, 20 remembered, 50 scored (NF / LF)`);
  console.log(`  zero-shot ${score(shipped, other50, catalog)}; memory alone ${score(memoryAlone(first20, catalog), other50, catalog)}; refitted L2 1 ${score(refitted(first20, catalog, 1), other50, catalog)}, L2 10 ${score(refitted(first20, catalog, 10), other50, catalog)}, L2 100 ${score(refitted(first20, catalog, 100), other50, catalog)}`);
  const last60 = dev.slice(10);
  console.log(`${name}: 2. development, K remembered, the last 60 scored: memory alone -> refitted (NF / LF)`);
  console.log('  ' + [3, 5, 10].map((k) => `K ${k}: ${score(memoryAlone(dev.slice(0, k), catalog), last60, catalog)} -> ${score(refitted(dev.slice(0, k), catalog, 10), last60, catalog)}`).join('; '));
  const view = catalogView(catalog);
  const golds = dev.map((e) => [...new Set(e.nodes)].map((n) => view.position.get(n)!));
  const model = dev.map((e) => rankedBy(stage2Logits(shipped, view, readRequest(view, e.request))));
  const tfidf = dev.map((e) => rankedBy(view.postings.dots(featurize(e.request, view.cfg, view.idf))));
  const oracle = new Map(dev.map((e, i) => [e.request, chain(e.request, model[i].slice(0, golds[i].length).map((t) => view.names[t]))]));
  console.log(`${name}: 3. development, 70: gold tools in the top 3 / 5 / 8: model ${recalls(model, golds)}%, plain tf-idf ${recalls(tfidf, golds)}%; top tools cut at the gold length ${f2(evaluate((s) => oracle.get(s)!, dev, catalog).nodeF1)} NF, the plans ${score(shipped, dev, catalog)}`);
  console.log(`${name}: 4. scored half: 20 remembered ${score(memoryAlone(first20, catalog), test, catalog)} -> ${score(refitted(first20, catalog, 10), test, catalog)}; 70 ${score(memoryAlone(dev, catalog), test, catalog)} -> ${score(refitted(dev, catalog, 10), test, catalog)} (memory alone -> refitted)`);
}
