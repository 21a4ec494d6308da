import type { Workflow } from '../machines/definition.ts';
import { linearPipeline } from './linear-pipeline.ts';
import { composeReportWorker } from './workers/compose-report.ts';
import { extractKeywordsWorker } from './workers/extract-keywords.ts';
import { extractTextWorker } from './workers/extract-text.ts';
import { readFileWorker } from './workers/read-file.ts';
import { sentimentWorker } from './workers/sentiment.ts';
import { summariseWorker } from './workers/summarise.ts';
import { textStatsWorker } from './workers/text-stats.ts';

/**
 * `document-report`: a linear pipeline with accumulating hand-offs, read-file ->
 * extract-text -> summarise -> extract-keywords -> text-stats -> sentiment ->
 * compose-report, which writes `report.md`. Input: `{ path, outDir? }`.
 *
 * Accumulating is what lets compose-report see the summary, keywords, stats and
 * sentiment at once, and lets extract-keywords read extract-text's `text` although
 * summarise ran in between.
 *
 * @example
 * await run(documentReport(), { path: 'fixtures/papers/sparse-retrieval.md' }) // output: { path: '.../report.md', bytes: 1900 }
 */
export function documentReport(): Workflow {
  return linearPipeline('document-report', [readFileWorker, extractTextWorker, summariseWorker, extractKeywordsWorker, textStatsWorker, sentimentWorker, composeReportWorker], {
    description: 'Reads a document and writes a Markdown report: summary, key phrases, readability and sentiment.',
    handoff: 'accumulate',
  });
}
