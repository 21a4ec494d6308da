import type { AnyWorker } from '../machines/worker.ts';
import { linksByType } from '../machines/type-tags.ts';
import { coderWorker } from './workers/coder.ts';
import { composeReportWorker } from './workers/compose-report.ts';
import { csvStatsWorker } from './workers/csv-stats.ts';
import { extractFiguresWorker } from './workers/extract-figures.ts';
import { extractKeywordsWorker } from './workers/extract-keywords.ts';
import { extractTextWorker } from './workers/extract-text.ts';
import { markdownToHtmlWorker } from './workers/markdown-to-html.ts';
import { productManagerWorker } from './workers/product-manager.ts';
import { readFileWorker } from './workers/read-file.ts';
import { renderChartWorker } from './workers/render-chart.ts';
import { renderDeckWorker } from './workers/render-deck.ts';
import { reviewerWorker } from './workers/reviewer.ts';
import { sentimentWorker } from './workers/sentiment.ts';
import { structureSlidesWorker } from './workers/structure-slides.ts';
import { summariseWorker } from './workers/summarise.ts';
import { textStatsWorker } from './workers/text-stats.ts';
import { writeFilesWorker } from './workers/write-files.ts';

/**
 * Type tags: coarse names for the kinds of data a worker consumes and produces. The
 * planner chains tools by them; field names in the zod schemas follow the same words
 * where they can (`text`, `sections`, `summary`, `figures`, `keywords`, `spec`, ...), so a
 * tool's output feeds the next one by name.
 */
export const TYPE_TAGS: Readonly<Record<string, { inputType: readonly string[]; outputType: readonly string[] }>> = Object.freeze({
  'read-file': { inputType: ['path'], outputType: ['document'] },
  'extract-text': { inputType: ['document'], outputType: ['text', 'sections'] },
  summarise: { inputType: ['text', 'sections'], outputType: ['summary'] },
  'extract-figures': { inputType: ['sections', 'text'], outputType: ['figures'] },
  'extract-keywords': { inputType: ['text'], outputType: ['keywords'] },
  'structure-slides': { inputType: ['summary', 'figures', 'sections', 'keywords'], outputType: ['slides'] },
  'render-deck': { inputType: ['slides'], outputType: ['file'] },
  'product-manager': { inputType: ['brief'], outputType: ['spec'] },
  coder: { inputType: ['spec', 'review'], outputType: ['site'] },
  reviewer: { inputType: ['site', 'spec'], outputType: ['review'] },
  'write-files': { inputType: ['site', 'files'], outputType: ['paths'] },
  'csv-stats': { inputType: ['csv'], outputType: ['table'] },
  'render-chart': { inputType: ['table'], outputType: ['chart'] },
  sentiment: { inputType: ['text'], outputType: ['sentiment'] },
  'text-stats': { inputType: ['text'], outputType: ['stats'] },
  'markdown-to-html': { inputType: ['markdown', 'text'], outputType: ['html'] },
  'compose-report': { inputType: ['summary', 'keywords', 'stats', 'sentiment', 'table', 'chart'], outputType: ['report'] },
});

/**
 * The built-in workers, in catalog order.
 *
 * @example
 * defaultWorkers.map((w) => w.name) // ['read-file', 'extract-text', 'summarise', ...]
 */
export const defaultWorkers: readonly AnyWorker[] = Object.freeze([
  readFileWorker,
  extractTextWorker,
  summariseWorker,
  extractFiguresWorker,
  extractKeywordsWorker,
  structureSlidesWorker,
  renderDeckWorker,
  productManagerWorker,
  coderWorker,
  reviewerWorker,
  writeFilesWorker,
  csvStatsWorker,
  renderChartWorker,
  sentimentWorker,
  textStatsWorker,
  markdownToHtmlWorker,
  composeReportWorker,
]);

export interface CatalogTool {
  name: string;
  description: string;
  inputType: string[];
  outputType: string[];
}

/**
 * `source` can feed `target`: an output type of `source` is an input type of `target`.
 * Same shape as the planner's catalog links, so this catalog can be handed to it as is.
 */
export interface CatalogLink {
  source: string;
  target: string;
}

export interface Catalog {
  tools: CatalogTool[];
  links: CatalogLink[];
}

/**
 * Builds a catalog from workers and their type tags; links are derived, never listed by
 * hand: A -> B for every pair (A ≠ B) where an output type of A is an input type of B.
 * A worker without tags is an error naming it.
 *
 * @example
 * buildCatalog([readFileWorker, extractTextWorker], TYPE_TAGS).links
 * // [{ source: 'read-file', target: 'extract-text' }]
 */
export function buildCatalog(workers: readonly AnyWorker[], tags: Readonly<Record<string, { inputType: readonly string[]; outputType: readonly string[] }>>): Catalog {
  const tools: CatalogTool[] = workers.map((w) => {
    const t = tags[w.name];
    if (!t) throw new Error(`catalog: worker ${JSON.stringify(w.name)} has no type tags`);
    return { name: w.name, description: w.description, inputType: [...t.inputType], outputType: [...t.outputType] };
  });
  return { tools, links: linksByType(tools) };
}

/** The default catalog the planner chooses tools from. */
export const defaultCatalog: Catalog = buildCatalog(defaultWorkers, TYPE_TAGS);

/**
 * A default worker by name, or an error listing the names.
 *
 * @example
 * workerByName('summarise').name // 'summarise'
 */
export function workerByName(name: string): AnyWorker {
  const w = defaultWorkers.find((x) => x.name === name);
  if (!w) throw new Error(`unknown worker ${JSON.stringify(name)}; the default catalog has ${defaultWorkers.map((x) => x.name).join(', ')}`);
  return w;
}
