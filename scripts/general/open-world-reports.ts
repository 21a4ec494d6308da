/**
 * How often the zero-shot open-world check (what the general planner and the clause matcher use on
 * a catalog no model trained on) reports a clause as done by no tool: on doable requests, where
 * every report is false (the new catalogs' halves, UltraTool's official training requests, the
 * built-in catalog's hand-written doable requests), and on the hand-written requests that hold an
 * undone clause, where a report is right.
 * Run: node --import tsx scripts/general/open-world-reports.ts [--data ../shared/data/ultratool]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { loadCatalog } from '../../planner/catalog.ts';
import { DEFAULT_CATALOG_FILE } from '../../planner/default-model.ts';
import { catalogOpenWorldCheck, zeroShotUnmatched } from '../../planner/open-world.ts';
import { loadHandwritten } from '../../bench/planner-handwritten.ts';
import { catalogFolders, CATALOGS_DIR } from '../../bench/planner-new-catalogs.ts';
import type { Catalog } from '../../planner/types.ts';

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data/ultratool' } } });

/** How many of `requests` get at least one clause reported. */
function reported(catalog: Catalog, requests: readonly string[]): string {
  const check = catalogOpenWorldCheck(catalog);
  return `${requests.filter((r) => zeroShotUnmatched(check.check(r)).length > 0).length} of ${requests.length}`;
}

const rows: [string, string][] = [];
for (const name of catalogFolders()) {
  const { catalog, examples, trainIds, testIds } = loadUltraTool(join(CATALOGS_DIR, name));
  const byId = new Map(examples.map((e) => [e.id, e.request]));
  rows.push([`${name}, development half (all doable)`, reported(catalog, trainIds.map((i) => byId.get(i)!))]);
  rows.push([`${name}, scored half (all doable)`, reported(catalog, testIds.map((i) => byId.get(i)!))]);
}
const ut = loadUltraTool(values.data!);
const official = new Set(ut.trainIds);
rows.push(['UltraTool official training requests (all doable)', reported(ut.catalog, ut.examples.filter((e) => official.has(e.id)).map((e) => e.request))]);
const builtIn = loadCatalog(DEFAULT_CATALOG_FILE);
for (const split of ['train', 'dev'] as const) {
  const hand = loadHandwritten().filter((r) => r.split === split);
  rows.push([`built-in hand-written ${split}, doable`, reported(builtIn, hand.filter((r) => !r.unmatched?.length && r.nodes.length > 0).map((r) => r.request))]);
  rows.push([`built-in hand-written ${split}, with an undone clause (a report is right)`, reported(builtIn, hand.filter((r) => r.unmatched?.length).map((r) => r.request))]);
}
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`${'requests'.padEnd(width)}  with a clause reported`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
