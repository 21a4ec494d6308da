/**
 * The general planner on catalogs no part of the project was fitted or tuned on: the catalogs
 * under fixtures/planner/catalogs (an online shop's back office, a software team's operations, a
 * school's administration;
 * see their SOURCE.md), in GNN4TaskPlan's layout, each with 140 requests written in users' own
 * words by writers who saw only the catalog, half kept for development ("train" ids) and half
 * scored here (`split_ids.json`'s test ids). UltraTool is one catalog with one labelling habit;
 * these measure what a user with their own workers gets.
 *
 * Rows, on each catalog's test half:
 * - the shipped general model zero-shot (what `orchestai plan --catalog` uses);
 * - the same with 20, and with all 70, of the development half's requests remembered as few-shot
 *   memory (`train --general --data`; the 20 are the first after a seed-42 shuffle);
 * - the same with 400 requests synthesised from the catalog alone (`train --catalog --synthetic`);
 * - the clause matcher (planner/zero-shot, defaults) and plain tf-idf top-1/2/3 tools;
 * - the shipped model over the catalog with half its tools unlinked (a graph written down in part),
 *   and without its graph (like a catalog file without links, or a tool list whose parameters match
 *   no tool's output): its open weights, its graph weights, and the open weights with 20 remembered
 *   requests.
 * Each with node F1, link F1, accuracy, and how many wrong and right plans are flagged.
 *
 * Run: npm run bench:planner-catalogs (about 45 s). Writes bench/results/planner-new-catalogs.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadUltraTool } from '../planner/data/ultratool.ts';
import { shuffled } from '../planner/data/split.ts';
import { evaluate } from '../planner/eval.ts';
import { adaptWithExamples, createGeneralPlanner, loadGeneralModel, synthesizeExamples, GENERAL_MODEL_DIR, type GeneralModel } from '../planner/general/index.ts';
import { createZeroShotPlanner } from '../planner/zero-shot/index.ts';
import type { Catalog, Example, Plan } from '../planner/types.ts';
import { asPlanned, flaggedShares } from './lib/zero-shot-rows.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the catalogs no model trained on live. */
export const CATALOGS_DIR = join(root, 'fixtures/planner/catalogs');
const SEED = 42;
const pct = (x: number) => Number((100 * x).toFixed(2));

/** One scored row. */
export interface CatalogRow { catalog: string; planner: string; n: number; NF: number; LF: number; Acc: number; wrongFlagged: string; rightFlagged: string }

/** The planners compared on one catalog, `remembered` being its development requests in shuffled order. */
function planners(catalog: Catalog, remembered: readonly Example[]): [string, (s: string) => Plan][] {
  const shipped = loadGeneralModel(GENERAL_MODEL_DIR);
  const general = (model: typeof shipped) => asPlanned(createGeneralPlanner(model, catalog), catalog);
  return [
    ['shipped general model, zero-shot', general(shipped)],
    ['+ 20 development requests as memory (train --general --data)', general(adaptWithExamples(shipped, remembered.slice(0, 20), catalog))],
    [`+ all ${remembered.length} development requests as memory`, general(adaptWithExamples(shipped, remembered, catalog))],
    ['+ 400 synthetic requests as memory (train --catalog --synthetic)', general(adaptWithExamples(shipped, synthesizeExamples(catalog, undefined, { count: 400, seed: SEED }), catalog))],
    ['clause matcher (tf-idf, defaults)', asPlanned(createZeroShotPlanner(catalog), catalog)],
    ...[1, 2, 3].map((topK): [string, (s: string) => Plan] => [`plain tf-idf, top-${topK} tools`, asPlanned(createZeroShotPlanner(catalog, { split: false, link: false, topK, threshold: 0 }), catalog)]),
    ...withoutGraph(shipped, catalog, remembered),
  ];
}

/**
 * The shipped model over the same catalog without its graph, as a tool list whose parameters match
 * no tool's output gives it: with the open weights (`GeneralModel.open`, what `plan --catalog` uses for such a
 * list), with the graph weights as before they were fitted, and with 20 remembered requests.
 */
function withoutGraph(shipped: GeneralModel, catalog: Catalog, remembered: readonly Example[]): [string, (s: string) => Plan][] {
  const bare = { ...catalog, links: [] };
  const general = (model: typeof shipped) => asPlanned(createGeneralPlanner(model, bare), bare);
  // Half the tools (a seeded half) keep their links among themselves; the rest have none (`openIsolated`).
  const linked = new Set(shuffled(catalog.tools.map((t) => t.name), 7).slice(0, Math.round(catalog.tools.length / 2)));
  const half = { ...catalog, links: catalog.links.filter((l) => linked.has(l.source) && linked.has(l.target)) };
  return [
    ['half its tools unlinked: shipped general model, zero-shot', asPlanned(createGeneralPlanner(shipped, half), half)],
    ['without its graph: shipped general model, zero-shot (open weights)', general(shipped)],
    ['without its graph: the graph weights, zero-shot', general({ ...shipped, open: undefined })],
    ['without its graph: + 20 development requests as memory', general(adaptWithExamples(shipped, remembered.slice(0, 20), bare))],
  ];
}

/**
 * Scores every planner on the test half of the catalog in `dir` (GNN4TaskPlan layout).
 *
 * @example
 * scoreCatalog('fixtures/planner/catalogs/shop')[0].NF // node F1 of the shipped model, zero-shot
 */
export function scoreCatalog(dir: string): CatalogRow[] {
  const { catalog, examples, testIds, trainIds } = loadUltraTool(dir);
  const byId = new Map(examples.map((e) => [e.id, e]));
  const scored = testIds.map((i) => byId.get(i)!);
  const remembered = shuffled(trainIds, SEED).map((i) => byId.get(i)!);
  const name = dir.split('/').pop()!;
  return planners(catalog, remembered).map(([planner, planFresh]) => {
    // evaluate times each plan; the flag counts read the same plans again, so they are kept.
    const made = new Map<string, Plan>();
    const plan = (request: string) => made.get(request) ?? (made.set(request, planFresh(request)), made.get(request)!);
    const ev = evaluate(plan, scored, catalog);
    const flags = flaggedShares(plan, scored);
    return { catalog: name, planner, n: ev.n, NF: pct(ev.nodeF1), LF: pct(ev.linkF1), Acc: pct(ev.accuracy), wrongFlagged: flags.wrong, rightFlagged: flags.right };
  });
}

/** The catalog folders under fixtures/planner/catalogs, by name. */
export function catalogFolders(): string[] {
  return readdirSync(CATALOGS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = catalogFolders().flatMap((d) => scoreCatalog(join(CATALOGS_DIR, d)));
  const f = (x: number) => x.toFixed(2).padStart(6);
  console.log('| catalog (scored half) | planner | NF | LF | Acc | wrong plans flagged | right plans flagged |');
  console.log('|---|---|--------|--------|--------|---|---|');
  for (const r of rows) console.log(`| ${r.catalog} (${r.n}) | ${r.planner} | ${f(r.NF)} | ${f(r.LF)} | ${f(r.Acc)} | ${r.wrongFlagged} | ${r.rightFlagged} |`);
  const out = join(root, 'bench/results/planner-new-catalogs.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ command: 'npm run bench:planner-catalogs', date: new Date().toISOString(), rows }, null, 1) + '\n');
  console.log(`\nwrote ${out}`);
}
