import fs from 'node:fs';
import path from 'node:path';
import { isWorker, type AnyWorker } from '../../machines/worker.ts';
import { catalogFromWorkers, type Catalog } from '../../planner/index.ts';
import { loadProjectConfig, ProjectConfigError, type LoadedConfig } from './config.ts';
import { importUserModule } from './import-module.ts';

/**
 * The project's own workers (`workers` in orchestai.config.ts): `orchestai plan` and `run` plan an
 * instruction over their catalog instead of the built-in workers', `run` runs them, and replay and
 * resume rebuild such runs from them. Loaded only from the config's entries, never from a history.
 */

/** What planning over the project's workers needs: them, their catalog, and the planner model the config names. */
export interface ProjectPlanning {
  workers: AnyWorker[];
  catalog: Catalog;
  /** `planner` of the config, resolved against the project root (a model from `train --general`, say). */
  modelDir?: string;
  /** The config file, for messages. */
  file: string;
}

/**
 * A project's catalog as the fallback of data that names no catalog of its own (`loadDataset`'s
 * `fallbackCatalog`), for `train` and `eval` there.
 *
 * @example
 * projectCatalogSource({ catalog, file: '/p/orchestai.config.ts' }).source // 'the workers of /p/orchestai.config.ts'
 */
export function projectCatalogSource(project: Pick<ProjectPlanning, 'catalog' | 'file'>): { catalog: Catalog; source: string } {
  return { catalog: project.catalog, source: `the workers of ${project.file}` };
}

const byConfig = new WeakMap<LoadedConfig, Promise<ProjectPlanning | undefined>>();

/**
 * The project's workers and their catalog, or undefined when there is no config or it lists no
 * workers. A module that is missing or exports no worker, or two workers with one name: errors
 * naming the config and the entry.
 *
 * @example
 * const project = await projectPlanning(process.cwd());
 * project?.catalog.tools.map((t) => t.name) // ['find-order', 'refund-order']
 */
export async function projectPlanning(cwd: string): Promise<ProjectPlanning | undefined> {
  const project = await loadProjectConfig(cwd);
  if (!project?.config.workers?.length) return undefined;
  let p = byConfig.get(project);
  if (!p) byConfig.set(project, (p = collect(project)));
  return p;
}

async function collect(project: LoadedConfig): Promise<ProjectPlanning> {
  const byName = new Map<string, { worker: AnyWorker; from: string }>();
  const entries = project.config.workers ?? [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const where = `workers[${i}]`;
    const found = typeof entry === 'string' ? await moduleWorkers(project, where, entry) : [entry];
    for (const worker of found) {
      const prior = byName.get(worker.name);
      if (prior && prior.worker !== worker) throw new ProjectConfigError(project.file, `${where}: worker name "${worker.name}" is declared twice (${prior.from} and ${typeof entry === 'string' ? entry : where})`);
      byName.set(worker.name, { worker, from: typeof entry === 'string' ? entry : where });
    }
  }
  const workers = [...byName.values()].map((w) => w.worker);
  const planner = project.config.planner;
  return { workers, catalog: catalogFromWorkers(workers), file: project.file, ...(planner ? { modelDir: path.resolve(project.root, planner) } : {}) };
}

/** The workers a module exports: its default export (a worker or an array of them) and its named workers. */
async function moduleWorkers(project: LoadedConfig, where: string, rel: string): Promise<AnyWorker[]> {
  const file = path.resolve(project.root, rel);
  if (!fs.existsSync(file)) throw new ProjectConfigError(project.file, `${where}: module ${rel} not found (looked for ${file})`);
  const mod = await importUserModule(file);
  const first = Array.isArray(mod.default) ? mod.default : [mod.default];
  const found = [...new Set([...first, ...Object.entries(mod).filter(([k]) => k !== 'default').map(([, v]) => v)].filter(isWorker))];
  if (found.length === 0) throw new ProjectConfigError(project.file, `${where}: ${rel} exports no worker (export ones made by defineWorker, by name or as a default array)`);
  return found;
}
