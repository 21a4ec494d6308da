import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Workflow } from '../../machines/index.ts';
import { isWorker, type AnyWorker } from '../../machines/worker.ts';
import { importUserModule } from './import-module.ts';
import { ProviderConfigSchema } from '../../providers/config.ts';

/**
 * The project config: `orchestai.config.ts` (or `.mts`, `.js`, `.mjs`) at the project root, found
 * by walking up from the working directory like `tsconfig.json`. It names the project's workflow
 * modules so the CLI and the viewer can find the workflow of any run recorded in the project,
 * including runs started from code with `run()`, by the workflow id every history records.
 */

/** File names looked for, in this order, in each directory from the working directory up. */
export const CONFIG_FILES = ['orchestai.config.ts', 'orchestai.config.mts', 'orchestai.config.js', 'orchestai.config.mjs'] as const;

const isWorkflow = (v: unknown): v is Workflow => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'workflow';

/** A module path (non-empty) or a workflow object; one check, so a wrong entry gets one message. */
const WorkflowEntry = z.custom<string | Workflow>(
  (v) => (typeof v === 'string' && v.trim() !== '') || isWorkflow(v),
  'expected a module path or a workflow made by defineWorkflow',
);

/** A module path (non-empty) or a worker object. */
const WorkerEntry = z.custom<string | AnyWorker>(
  (v) => (typeof v === 'string' && v.trim() !== '') || isWorker(v),
  'expected a module path or a worker made by defineWorker',
);

/** The config's schema; the type users write is inferred from it. Unknown keys are errors (a typo must not pass silently). */
export const ProjectConfigSchema = z.strictObject({
  /**
   * Modules that export workflows (a default export, named exports, or a function returning one),
   * as paths relative to the config file, or workflow objects themselves.
   */
  workflows: z.array(WorkflowEntry).default([]),
  /**
   * The project's own workers: modules exporting them (by name, or a default array), as paths
   * relative to the config file, or worker objects. `orchestai plan` and `run` then plan an
   * instruction over these workers (their names, descriptions and schemas' fields) instead of the
   * built-in ones, `run` runs them, and replay and resume rebuild such runs from them.
   */
  workers: z.array(WorkerEntry).optional(),
  /**
   * The planner model directory `plan` and `run` use over the project's workers, relative to the
   * config file (one from `orchestai train --general`, say); default the shipped general model.
   */
  planner: z.string().min(1, 'expected a model directory').optional(),
  /**
   * The model LLM workers and the planner's fallback ask (`{ provider, model, baseUrl?, ... }`);
   * the `ORCHESTAI_LLM_*` environment wins over it, and its key is best left to the environment
   * (see `effectiveProviderConfig`).
   */
  llm: ProviderConfigSchema.optional(),
  /**
   * The scale-out store (`postgres://…`) that `orchestai hub`, `server`, `ui`, `runs`, `show`,
   * `replay` and `run` use when given no `--store`; `ORCHESTAI_STORE` wins over it. Keep the
   * password in the environment (`PGPASSWORD`), not in the file.
   */
  store: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  /** The Redis (`redis://…`) through which hubs hand attempts to `orchestai worker` processes; `ORCHESTAI_REDIS` wins over it. */
  redis: z.string().regex(/^redis:\/\//, 'expected a redis:// URL').optional(),
});

export type ProjectConfigInput = z.input<typeof ProjectConfigSchema>;
export type ProjectConfig = z.output<typeof ProjectConfigSchema>;

/** A config file that is missing pieces or has the wrong shape; names the file and the field. */
export class ProjectConfigError extends Error {
  override name = 'ProjectConfigError';
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Declares the project config (identity, for types and editor help).
 *
 * @example
 * // orchestai.config.ts
 * import { defineConfig } from 'orchestai';
 * export default defineConfig({ workflows: ['./flows/article.ts'] });
 */
export function defineConfig(config: ProjectConfigInput): ProjectConfigInput {
  return config;
}

/** A loaded config: its file, its directory (the project root) and its checked contents. */
export interface LoadedConfig {
  file: string;
  root: string;
  config: ProjectConfig;
}

/**
 * The nearest config file from `cwd` up to the filesystem root, or undefined.
 *
 * @example
 * findConfigFile('/home/ana/app/src') // '/home/ana/app/orchestai.config.ts'
 */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Loads and checks a config file. Its default export is the config (or a function returning it).
 *
 * @example
 * const { root, config } = await loadConfigFile('/home/ana/app/orchestai.config.ts');
 */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  const mod = await importUserModule(file);
  let value = mod.default;
  if (typeof value === 'function') value = await value();
  if (value === undefined) throw new ProjectConfigError(file, 'no default export: write `export default defineConfig({ workflows: [...] })`');
  const parsed = ProjectConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'config';
    throw new ProjectConfigError(file, `${where}: ${issue.message}`);
  }
  return { file, root: path.dirname(file), config: parsed.data };
}

const loaded = new Map<string, Promise<LoadedConfig | undefined>>();

/**
 * The project config that applies in `cwd` (cached per file for the process), or undefined when
 * there is none.
 *
 * @example
 * const project = await loadProjectConfig(process.cwd());
 */
export function loadProjectConfig(cwd: string): Promise<LoadedConfig | undefined> {
  const file = findConfigFile(cwd);
  if (!file) return Promise.resolve(undefined);
  let p = loaded.get(file);
  if (!p) {
    p = loadConfigFile(file);
    loaded.set(file, p);
    p.catch(() => loaded.delete(file)); // a broken config may be fixed while a viewer runs
  }
  return p;
}
