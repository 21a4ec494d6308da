import { dirname } from 'node:path';
import { defineWorkflow } from '../machines/index.ts';
import type { Workflow } from '../machines/definition.ts';
import { customInput, type Json, type JsonObject } from '../transformers/index.ts';
import { extractFiguresWorker } from './workers/extract-figures.ts';
import { extractTextWorker } from './workers/extract-text.ts';
import { readFileWorker } from './workers/read-file.ts';
import { renderDeckWorker } from './workers/render-deck.ts';
import { structureSlidesWorker } from './workers/structure-slides.ts';
import { summariseWorker } from './workers/summarise.ts';

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const objectOf = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});

/**
 * `paper-to-presentation` (DAG form): read-file -> extract-text -> (summarise ∥
 * extract-figures) -> structure-slides -> render-deck, which writes a Marp Markdown deck.
 * Input: `{ path, outDir?, maxSentences? }`, or the path as a string.
 *
 * structure-slides also reads extract-text's title and sections: that step finished
 * before both of structure-slides' dependencies started, so its output is in the context.
 *
 * @example
 * const result = await run(paperToPresentation(), { path: 'fixtures/papers/sparse-retrieval.md' });
 * result.output // { deck: '.../artifacts/<runId>/....slides.md', slideCount: 9, bytes: 3100, title: '...' }
 */
export function paperToPresentation(): Workflow {
  return defineWorkflow({
    id: 'paper-to-presentation',
    description: 'Turns a paper into a slide deck: extract text, summarise and find figures in parallel, structure slides, render a Markdown deck.',
    steps: [
      {
        id: 'read-file',
        worker: readFileWorker,
        dependsOn: [],
        input: customInput((ctx) => ({ path: typeof ctx.input === 'string' ? ctx.input : objectOf(ctx.input).path ?? null })),
      },
      { id: 'extract-text', worker: extractTextWorker, dependsOn: ['read-file'] },
      {
        id: 'summarise',
        worker: summariseWorker,
        dependsOn: ['extract-text'],
        input: customInput((ctx): JsonObject => {
          const { text, sections } = objectOf(ctx.outputs['extract-text']);
          const max = objectOf(ctx.input).maxSentences;
          return typeof max === 'number' ? { text, sections, maxSentences: max } : { text, sections };
        }),
      },
      { id: 'extract-figures', worker: extractFiguresWorker, dependsOn: ['extract-text'] },
      {
        id: 'structure-slides',
        worker: structureSlidesWorker,
        dependsOn: ['summarise', 'extract-figures'],
        input: customInput((ctx) => {
          const doc = objectOf(ctx.outputs['extract-text']);
          return { title: doc.title, sections: doc.sections, ...objectOf(ctx.outputs.summarise), ...objectOf(ctx.outputs['extract-figures']) };
        }),
      },
      {
        id: 'render-deck',
        worker: renderDeckWorker,
        dependsOn: ['structure-slides'],
        input: customInput((ctx) => {
          const outDir = objectOf(ctx.input).outDir;
          const source = objectOf(ctx.outputs['read-file']).path;
          return {
            ...objectOf(ctx.outputs['structure-slides']),
            ...(typeof source === 'string' ? { baseDir: dirname(source) } : {}),
            ...(typeof outDir === 'string' ? { outDir } : {}),
          };
        }),
      },
    ],
    output: (ctx) => {
      const deck = objectOf(ctx.outputs['render-deck']);
      return { deck: deck.path ?? null, slideCount: deck.slideCount ?? null, bytes: deck.bytes ?? null, title: objectOf(ctx.outputs['extract-text']).title ?? null };
    },
  });
}
