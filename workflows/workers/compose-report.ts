import { basename, relative } from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { artifactDir, writeArtifact } from '../lib/artifacts.ts';

const Column = z.object({ name: z.string(), type: z.string(), count: z.number().optional(), mean: z.number().optional(), min: z.number().optional(), max: z.number().optional() });
const Stats = z.record(z.string(), z.union([z.number(), z.string()]));
const Sentiment = z.object({ score: z.number(), label: z.string() }).loose();

const num = (n: number | undefined) => (n === undefined ? '' : Number.isInteger(n) ? String(n) : n.toFixed(2));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const LABELS: Record<string, string> = {
  words: 'Words', sentences: 'Sentences', syllables: 'Syllables', characters: 'Characters', uniqueWords: 'Distinct words',
  avgWordsPerSentence: 'Words per sentence', avgSyllablesPerWord: 'Syllables per word', fleschReadingEase: 'Flesch reading ease',
  fleschKincaidGrade: 'Flesch–Kincaid grade', readingMinutes: 'Reading time (min)',
};

export const ComposeInput = z.object({
  title: z.string().optional(),
  summary: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  stats: Stats.optional(),
  sentiment: Sentiment.optional(),
  columns: z.array(Column).optional(),
  rows: z.array(z.record(z.string(), z.unknown())).optional(),
  /** A chart image: render-chart's `path`, or given as `chart`. */
  path: z.string().optional(),
  chart: z.string().optional(),
  outDir: z.string().optional(),
});

/**
 * Lays out whatever parts are present as Markdown sections, in a fixed order: summary,
 * key phrases, readability, sentiment, data columns, chart. The chart is linked relative
 * to the report's folder so the report can be moved together with it.
 *
 * @example
 * reportMarkdown({ title: 'Q3', summary: 'Sales rose.', keywords: ['sales'] }, '/out')
 * // '# Q3\n\n## Summary\n\nSales rose.\n\n## Key phrases\n\n- sales\n'
 */
export function reportMarkdown(input: z.infer<typeof ComposeInput>, dir: string): string {
  const out: string[] = [`# ${input.title?.trim() || 'Report'}`];
  if (input.summary) out.push('## Summary', input.summary.trim());
  if (input.keywords?.length) out.push('## Key phrases', input.keywords.map((k) => `- ${k}`).join('\n'));
  if (input.stats && Object.keys(input.stats).length) {
    out.push('## Readability', ['| Measure | Value |', '|---|---:|', ...Object.entries(input.stats).map(([k, v]) => `| ${LABELS[k] ?? k} | ${typeof v === 'number' ? num(v) : cell(v)} |`)].join('\n'));
  }
  if (input.sentiment) out.push('## Sentiment', `**${input.sentiment.label}** (score ${input.sentiment.score.toFixed(3)} on a scale from -1 to 1)`);
  if (input.columns?.length) {
    const rows = input.rows ? `${input.rows.length} rows, ` : '';
    out.push(
      '## Data',
      `${rows}${input.columns.length} columns.`,
      ['| Column | Type | Values | Mean | Min | Max |', '|---|---|---:|---:|---:|---:|', ...input.columns.map((c) => `| ${cell(c.name)} | ${c.type} | ${num(c.count)} | ${num(c.mean)} | ${num(c.min)} | ${num(c.max)} |`)].join('\n'),
    );
  }
  const chart = input.chart ?? (input.path && /\.(?:svg|png|jpe?g|gif|webp)$/i.test(input.path) ? input.path : undefined);
  if (chart) {
    const rel = relative(dir, chart).split('\\').join('/') || basename(chart);
    out.push('## Chart', `![${basename(chart)}](${rel})`);
  }
  if (out.length === 1) throw new Error('compose-report: none of summary, keywords, stats, sentiment, columns or chart was given; nothing to report');
  return out.join('\n\n') + '\n';
}

/**
 * Assembles a Markdown report from the results of other workers and writes it to disk.
 *
 * @example
 * await composeReportWorker.run({ summary, keywords, stats, sentiment }, ctx) // { path: '.../artifacts/<runId>/report.md', bytes: 1234 }
 */
export const composeReportWorker = defineWorker({
  name: 'compose-report',
  description: 'Assembles a Markdown report file from a summary, keywords, readability stats, sentiment, a data table and a chart, and returns its path and size.',
  input: ComposeInput,
  output: z.object({ path: z.string(), bytes: z.number().int() }),
  retry: { maxAttempts: 2, initialDelayMs: 100 },
  async run(input, ctx) {
    const dir = artifactDir(ctx.runId, input.outDir);
    return writeArtifact(dir, 'report.md', reportMarkdown(input, dir));
  },
});
