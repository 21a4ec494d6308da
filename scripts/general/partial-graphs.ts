/**
 * The general planner over graphs written down in part: on the development halves of the catalogs
 * in fixtures/planner/catalogs, a seeded share of each catalog's tools keeps its links among
 * themselves and the rest lose all of theirs, from every link kept to none. Zero-shot node / link
 * F1 with the shipped model's graph weights and with its open weights (`GeneralModel.open`). The
 * figures before tools left unlinked were made open (`openIsolated` in
 * planner/general/catalog-view.ts) come from running this at the commit before it.
 * Run: node --import tsx scripts/general/partial-graphs.ts (about 10 s)
 */
import { join } from 'node:path';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { shuffled } from '../../planner/data/split.ts';
import { evaluate } from '../../planner/eval.ts';
import { createGeneralPlanner, loadGeneralModel, type GeneralModel } from '../../planner/general/index.ts';
import type { Catalog, Example } from '../../planner/types.ts';
import { asPlanned } from '../../bench/lib/zero-shot-rows.ts';
import { CATALOGS_DIR, catalogFolders } from '../../bench/planner-new-catalogs.ts';

const shipped = loadGeneralModel();
const graphWeights: GeneralModel = { ...shipped, open: undefined };
const openWeights: GeneralModel = { ...shipped, ...shipped.open!, open: undefined };

/** Node F1 / link F1 (percent) of `model` over `catalog` on `examples`, scored against the full catalog. */
function score(model: GeneralModel, catalog: Catalog, examples: readonly Example[], full: Catalog): string {
  const ev = evaluate(asPlanned(createGeneralPlanner(model, catalog), catalog), examples, full);
  return `${(100 * ev.nodeF1).toFixed(2)} / ${(100 * ev.linkF1).toFixed(2)}`;
}

console.log('catalog  tools linked  links  graph weights  open weights');
for (const name of catalogFolders()) {
  const data = loadUltraTool(join(CATALOGS_DIR, name));
  const scored = new Set(data.testIds);
  const dev = data.examples.filter((e) => !scored.has(e.id));
  for (const keep of [1, 0.75, 0.5, 0.25, 0]) {
    const linked = new Set(shuffled(data.catalog.tools.map((t) => t.name), 7).slice(0, Math.round(keep * data.catalog.tools.length)));
    const catalog = { ...data.catalog, links: data.catalog.links.filter((l) => linked.has(l.source) && linked.has(l.target)) };
    console.log(`${name.padEnd(8)} ${String(Math.round(100 * keep)).padStart(4)}%  ${String(catalog.links.length).padStart(6)}  ${score(graphWeights, catalog, dev, data.catalog).padStart(13)}  ${score(openWeights, catalog, dev, data.catalog).padStart(12)}`);
  }
}
