import { z } from 'zod';
import { defineWorker, type AnyWorker } from '../../machines/index.ts';
import type { Catalog } from '../../planner/index.ts';

/**
 * The workers a plan can run with. Shared by `orchestai plan` and the viewer's planner panel,
 * so both compile a plan to the same statechart (and the viewer imports no CLI command).
 */

// A top-level function around the dynamic import: tsc's `rewriteRelativeImportExtensions`
// does not rewrite `.ts` in an `import()` that sits inside a call's arguments.
const loadBuiltinCatalog = () => import('../../workflows/catalog.ts');

/**
 * The workers a plan over `catalog` can run with: the built-in ones by name, and for catalog
 * tools this build has no implementation of, a worker that fails with that fact if run. The
 * compiled chart is the same either way (it holds no functions), so `--export` works for any
 * catalog.
 *
 * @example
 * const wf = compilePlan(plan, await workersForCatalog(catalog), { catalog });
 */
export async function workersForCatalog(catalog: Catalog): Promise<AnyWorker[]> {
  const builtin = new Map<string, AnyWorker>();
  try {
    const mod: any = await loadBuiltinCatalog();
    for (const w of (mod.defaultWorkers ?? []) as AnyWorker[]) builtin.set(w.name, w);
  } catch (e: any) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  return catalog.tools.map(
    (t) =>
      builtin.get(t.name) ??
      defineWorker({
        name: t.name,
        description: t.description,
        input: z.unknown(),
        output: z.unknown(),
        run: () => {
          throw new Error(`worker "${t.name}" is in the catalog but this build has no implementation of it`);
        },
      }),
  );
}
