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
