import fs from 'node:fs';

/**
 * The planner is optional for the viewer: `planner/index.ts` may be absent from a checkout
 * (or still being written), so it is loaded lazily by URL and the panel is hidden without it.
 */

async function optionalModule(rel: string): Promise<Record<string, any> | undefined> {
  const url = new URL(rel, import.meta.url);
  if (!fs.existsSync(url)) return undefined;
  return import(url.href);
}

let plannerP: Promise<Record<string, any> | undefined> | undefined;

/**
 * The planner module (`planner/index.ts`) if it exists.
 *
 * @example
 * const planner = await loadPlanner(); // undefined when there is no planner
 */
export function loadPlanner(): Promise<Record<string, any> | undefined> {
  plannerP ??= optionalModule('../../planner/index.ts').catch(() => undefined);
  return plannerP;
}
