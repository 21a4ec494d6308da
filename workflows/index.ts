import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Workflow } from '../machines/definition.ts';
import { buildWebsite } from './build-website.ts';
import { documentReport } from './document-report.ts';
import { paperToPresentation } from './paper-to-presentation.ts';

export { buildWebsite, MAX_REVISIONS } from './build-website.ts';
export { paperToPresentation } from './paper-to-presentation.ts';
export { documentReport } from './document-report.ts';
export { linearPipeline, stepIds, type LinearPipelineOptions } from './linear-pipeline.ts';
export { defaultWorkers, defaultCatalog, buildCatalog, workerByName, TYPE_TAGS, type Catalog, type CatalogTool, type CatalogLink } from './catalog.ts';

/** Absolute path of a file in the repository's `fixtures/`, wherever the process runs. */
export const fixturePath = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

/** Built-in workflows by name; `orchestai run <name>` resolves them here. */
export const builtinWorkflows: Record<string, () => Workflow> = {
  'build-website': buildWebsite,
  'paper-to-presentation': paperToPresentation,
  'document-report': documentReport,
};

/**
 * Inputs used when `orchestai run <name>` gets no `--input`: the sample brief and paper
 * in `fixtures/`. Getters, so the brief is read when asked for, not at import.
 */
export const defaultInputs: Record<string, unknown> = Object.defineProperties({} as Record<string, unknown>, {
  'build-website': { enumerable: true, get: () => ({ brief: readFileSync(fixturePath('briefs/bakery.md'), 'utf8') }) },
  'paper-to-presentation': { enumerable: true, get: () => ({ path: fixturePath('papers/sparse-retrieval.md') }) },
  'document-report': { enumerable: true, get: () => ({ path: fixturePath('papers/sparse-retrieval.md') }) },
});
