/**
 * The planner module for the viewer's planner panel. It is always part of the package, but
 * importing it loads the model code (a few hundred ms), so the viewer imports it on the first
 * `/api/plan` request instead of at start-up.
 */

/**
 * The planner module (`planner/index.ts`), imported on first call (Node caches it after that).
 *
 * A top-level function around the dynamic import on purpose: tsc's
 * `rewriteRelativeImportExtensions` does not rewrite `.ts` in an `import()` that sits inside a
 * call's arguments, so the `dist/` build would look for `index.ts`.
 *
 * @example
 * const planner = await loadPlanner();
 * const { plan } = await planner.planWithDetails('Summarise docs/q3.md');
 */
export const loadPlanner = () => import('../../planner/index.ts');

/**
 * The planner module as the viewer's panel and `POST /api/plan` use it in `cwd`: when the project
 * config there lists its own workers, `planWithDetails` plans over them (and with the config's
 * `planner` model) unless the call names a catalog or model, as `orchestai plan` does.
 *
 * @example
 * const planner = await loadProjectPlanner('/home/ana/shop')();
 * (await planner.planWithDetails('refund order 77')).plan.nodes // over the shop's workers
 */
export function loadProjectPlanner(cwd: string = process.cwd()): () => Promise<Awaited<ReturnType<typeof loadPlanner>>> {
  return async () => {
    const [planner, project] = await Promise.all([loadPlanner(), loadProjectPlanning().then((m) => m.projectPlanning(cwd))]);
    if (!project) return planner;
    const defaults = { catalog: project.catalog, ...(project.modelDir ? { modelDir: project.modelDir } : {}) };
    return { ...planner, planWithDetails: (instruction, options = {}) => planner.planWithDetails(instruction, { ...defaults, ...options }) };
  };
}

/** The project's workers module, imported with the planner (it imports the planner itself). */
const loadProjectPlanning = () => import('../project/workers.ts');
