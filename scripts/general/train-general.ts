/**
 * Fits the shipped general planner model (fixtures/planner/general/general-model.json) on
 * UltraTool's official training requests (90%; the other 10% choose the threshold), then scores it
 * on the official test split, in-domain, with the catalog's graph and without it (the open weights
 * against the graph weights). Run: node --import tsx scripts/general/train-general.ts
 * [--data ../shared/data/ultratool] [--out fixtures/planner/general]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { carveDevSplit } from '../../planner/data/split.ts';
import { evaluate } from '../../planner/eval.ts';
import { createGeneralPlanner, fitGeneralModel, fitPlanVerifier, saveGeneralModel } from '../../planner/general/index.ts';

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data/ultratool' }, out: { type: 'string', default: 'fixtures/planner/general' } } });
const data = loadUltraTool(resolve(values.data!));
const byId = new Map(data.examples.map((e) => [e.id, e]));
const { train, dev } = carveDevSplit(data.trainIds, 0.1, 42);
const t0 = Date.now();
// The dev split chooses the least plan size too: 2 on UltraTool, which never asks for one step. Fixed at
// 1 (`minNodes: 1`), the shipped model scored worse both in-domain (NF 59.5 vs 60.7) and on the
// built-in catalog's hand-written requests (NF 33 vs 44), so the data's choice is kept.
const fitted = fitGeneralModel(train.map((i) => byId.get(i)!), data.catalog, { dev: dev.map((i) => byId.get(i)!), open: true, note: 'UltraTool official training requests (90%; 10% chose the threshold and least plan size), 260-tool catalog; open: the same without the graph; verifier: on plans of held-out tools, all official training requests' });
// The verifiers learn from zero-shot plans of tools held out of all the official training requests (fit-verifier.ts), with the graph and without it.
const official = data.trainIds.map((i) => byId.get(i)!);
const model = { ...fitted, verifier: fitPlanVerifier(official, data.catalog), open: { ...fitted.open!, verifier: fitPlanVerifier(official, { ...data.catalog, links: [] }) } };
const seconds = (Date.now() - t0) / 1000;
const { file, bytes } = saveGeneralModel(model, resolve(values.out!));
const planner = createGeneralPlanner(model, data.catalog);
const ev = evaluate((s) => planner.plan(s), data.testIds.map((i) => byId.get(i)!), data.catalog);
const pct = (x: number) => (100 * x).toFixed(2);
console.log(`fitted in ${seconds.toFixed(1)} s -> ${file} (${bytes} bytes); threshold ${model.threshold}, plans of ${model.minNodes}-${model.maxNodes} steps`);
console.log(`UltraTool official test (in-domain, ${ev.n} requests): NF ${pct(ev.nodeF1)} LF ${pct(ev.linkF1)} Acc ${pct(ev.accuracy)} p50 ${ev.latencyMs.p50.toFixed(2)} ms`);
// The same catalog without its graph, planned with the open weights (and, before they were fitted, with the graph weights).
const open = { ...data.catalog, links: [] };
for (const [label, m] of [['open weights', model], ['graph weights', { ...model, open: undefined }]] as const) {
  const p = createGeneralPlanner(m, open);
  const e = evaluate((s) => p.plan(s), data.testIds.map((i) => byId.get(i)!), data.catalog);
  console.log(`  without the graph, ${label}: NF ${pct(e.nodeF1)} LF ${pct(e.linkF1)} Acc ${pct(e.accuracy)}`);
}
