/**
 * Writes `fixtures/planner/catalog.json`, the default catalog as the planner sees it, from the
 * built-in workers and their type tags (`workflows/catalog.ts`). A build script: the planner
 * library itself never imports `workflows/`, it reads this file.
 *
 * Run: `node --import tsx scripts/fixtures-gen/export-catalog.ts`
 */
import { writeFileSync } from 'node:fs';
import { defaultWorkers, TYPE_TAGS } from '../../workflows/catalog.ts';
import { catalogFromWorkers, catalogToJson, catalogFingerprint } from '../../planner/catalog.ts';
import { DEFAULT_CATALOG_FILE } from '../../planner/default-model.ts';
import { DEFAULT_TYPES } from './dag.ts';
import type { Catalog } from '../../planner/types.ts';

/**
 * The default catalog from the built-in workers; checks the generator's type table agrees, so the
 * gold DAGs are built over the same tool graph the model is trained on.
 *
 * @example
 * builtinCatalog().tools.length // 17
 */
export function builtinCatalog(): Catalog {
  const tags = Object.fromEntries(Object.entries(TYPE_TAGS).map(([k, v]) => [k, { inputType: [...v.inputType], outputType: [...v.outputType] }]));
  const catalog = catalogFromWorkers(defaultWorkers, tags);
  const mine = DEFAULT_TYPES.map(([n, i, o]) => JSON.stringify([n, i, o])).join('\n');
  const theirs = catalog.tools.map((t) => JSON.stringify([t.name, t.inputType, t.outputType])).join('\n');
  if (mine !== theirs) throw new Error(`scripts/fixtures-gen/dag.ts DEFAULT_TYPES disagrees with workflows/catalog.ts TYPE_TAGS:\n${mine}\n---\n${theirs}`);
  return catalog;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const catalog = builtinCatalog();
  writeFileSync(DEFAULT_CATALOG_FILE, catalogToJson(catalog));
  console.log(`wrote ${DEFAULT_CATALOG_FILE}: ${catalog.tools.length} tools, ${catalog.links.length} links, ${catalogFingerprint(catalog)}`);
}
