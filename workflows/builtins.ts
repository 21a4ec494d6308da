import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Workflow } from '../machines/definition.ts';
import { buildWebsite } from './build-website.ts';
import { documentReport } from './document-report.ts';
import { paperToPresentation } from './paper-to-presentation.ts';

/**
 * Absolute path of a file of the package's `fixtures/` (sample briefs and papers), wherever the
 * process runs: the published build keeps the same layout next to the compiled code.
 *
 * @example
 * fixturePath('papers/street-trees.md') // '/…/node_modules/orchestai/dist/fixtures/papers/street-trees.md'
 */
export const fixturePath = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

/** Built-in workflows by name (each name is also the workflow's id); `orchestai run <name>` resolves them here. */
export const builtinWorkflows: Readonly<Record<string, () => Workflow>> = Object.freeze({
  'build-website': buildWebsite,
  'paper-to-presentation': paperToPresentation,
  'document-report': documentReport,
});

/**
 * Inputs used when `orchestai run <name>` gets no `--input`: the sample brief and paper
 * in `fixtures/`. Getters, so the brief is read when asked for, not at import.
 */
export const defaultInputs: Record<string, unknown> = Object.defineProperties({} as Record<string, unknown>, {
  'build-website': { enumerable: true, get: () => ({ brief: readFileSync(fixturePath('briefs/bakery.md'), 'utf8') }) },
  'paper-to-presentation': { enumerable: true, get: () => ({ path: fixturePath('papers/sparse-retrieval.md') }) },
  'document-report': { enumerable: true, get: () => ({ path: fixturePath('papers/sparse-retrieval.md') }) },
});
