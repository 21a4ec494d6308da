/**
 * Whether the general planner learns from its own plans over a catalog new to it, as it would from
 * `train --general --from-history` if runs of its own plans counted: on the development half of
 * each catalog under fixtures/planner/catalogs (never the scored half), two folds of 35 requests;
 * one fold's zero-shot plans adapt the model (`adaptWithExamples`: remembered, and the weights
 * refitted), or only refit its weights (`fitGeneralModel` from the shipped model, L2 10), and the
 * other fold is scored. The same with the gold plans of that fold, for scale. Prints NF / LF per
 * catalog and the mean.
 * Run: node --import tsx scripts/general/own-plans.ts (about 15 s)
 */
import { join } from 'node:path';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { shuffled } from '../../planner/data/split.ts';
import { evaluate } from '../../planner/eval.ts';
import { adaptWithExamples, createGeneralPlanner, fitGeneralModel, loadGeneralModel, GENERAL_MODEL_DIR, type GeneralModel } from '../../planner/general/index.ts';
import type { Catalog, Example, Plan } from '../../planner/types.ts';
import { asPlanned } from '../../bench/lib/zero-shot-rows.ts';
import { CATALOGS_DIR, catalogFolders } from '../../bench/planner-new-catalogs.ts';

const shipped = loadGeneralModel(GENERAL_MODEL_DIR);
const FOLD = 35;

/** A plan as the example a history run of it would give. */
function asExample(e: Example, p: Plan): Example {
  const worker = new Map(p.nodes.map((n) => [n.id, n.worker]));
  return { id: e.id, request: e.request, nodes: p.nodes.map((n) => n.worker), links: p.nodes.flatMap((n) => n.dependsOn.map((d) => ({ source: worker.get(d)!, target: n.worker }))) };
}

/** The shipped weights refitted on `examples`, with memory none; confidence read as before. */
function refitted(examples: Example[], catalog: Catalog): GeneralModel {
  return { ...fitGeneralModel(examples, catalog, { base: shipped, l2: 10 }), confidenceWeights: { stage1: shipped.stage1, stage2: shipped.stage2 } };
}

const variants: [string, (own: Example[], gold: Example[], catalog: Catalog) => GeneralModel][] = [
  ['zero-shot', () => shipped],
  ['own plans, adapted', (own, _, catalog) => adaptWithExamples(shipped, own, catalog)],
  ['own plans, weights refitted only', (own, _, catalog) => refitted(own, catalog)],
  ['gold plans, adapted', (_, gold, catalog) => adaptWithExamples(shipped, gold, catalog)],
];
const mean = new Map<string, [number, number]>();
for (const name of catalogFolders()) {
  const { catalog, examples, trainIds } = loadUltraTool(join(CATALOGS_DIR, name));
  const byId = new Map(examples.map((e) => [e.id, e]));
  const dev = shuffled(trainIds, 42).map((i) => byId.get(i)!);
  const folds = [dev.slice(0, FOLD), dev.slice(FOLD)];
  const zeroShot = asPlanned(createGeneralPlanner(shipped, catalog), catalog);
  const own = new Map(dev.map((e) => [e.id, asExample(e, zeroShot(e.request))]));
  for (const [label, make] of variants) {
    let nf = 0, lf = 0;
    for (let f = 0; f < 2; f++) {
      const scored = folds[f], gold = folds[1 - f];
      const ev = evaluate(asPlanned(createGeneralPlanner(make(gold.map((e) => own.get(e.id)!), gold, catalog), catalog), catalog), scored, catalog);
      nf += (100 * ev.nodeF1 * scored.length) / dev.length;
      lf += (100 * ev.linkF1 * scored.length) / dev.length;
    }
    console.log(`${name.padEnd(8)} ${label.padEnd(34)} ${nf.toFixed(2)} / ${lf.toFixed(2)}`);
    const m = mean.get(label) ?? [0, 0];
    mean.set(label, [m[0] + nf / catalogFolders().length, m[1] + lf / catalogFolders().length]);
  }
}
for (const [label, [nf, lf]] of mean) console.log(`${'mean'.padEnd(8)} ${label.padEnd(34)} ${nf.toFixed(2)} / ${lf.toFixed(2)}`);
