import { defineWorkflow } from '../machines/index.ts';
import type { Workflow } from '../machines/definition.ts';
import { combine, customInput, fromStep, type Json, type JsonObject, type RunContext } from '../transformers/index.ts';
import { coderWorker } from './workers/coder.ts';
import { productManagerWorker } from './workers/product-manager.ts';
import { reviewerWorker } from './workers/reviewer.ts';
import { writeFilesWorker } from './workers/write-files.ts';

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const runInput = (ctx: RunContext): JsonObject => (typeof ctx.input === 'string' ? { brief: ctx.input } : isObject(ctx.input) ? ctx.input : {});

/** How many times a rejected site goes back to the coder before the run gives up. */
export const MAX_REVISIONS = 2;

/**
 * `build-website` (graph form): product-manager -> coder -> reviewer. An approved review
 * goes on to write-files (the site lands in the run's artefact folder) and succeeds; a
 * rejected one goes back to the coder, at most `MAX_REVISIONS` times, then the run fails.
 * Input: `{ brief, outDir? }` or the brief text itself.
 *
 * The coder always sees the spec, the latest review and the change requests it has
 * already applied, so each revision builds on the last instead of starting over.
 *
 * @example
 * const result = await run(buildWebsite(), { brief: 'A website for ...' });
 * result.output // { approved: true, revisions: 1, outDir: '.../site', paths: [...], score: 1 }
 */
export function buildWebsite(): Workflow {
  return defineWorkflow({
    id: 'build-website',
    description: 'Product manager -> coder -> reviewer; a rejected site goes back to the coder at most twice, an approved one is written to disk.',
    onFailure: 'failed',
    steps: [
      {
        id: 'product-manager',
        description: 'Reads the brief into a spec.',
        worker: productManagerWorker,
        input: customInput((ctx) => ({ brief: runInput(ctx).brief ?? null })),
      },
      {
        id: 'coder',
        description: 'Drafts the site, then revises it from the review.',
        worker: coderWorker,
        input: customInput((ctx) => {
          const out: JsonObject = { spec: (ctx.outputs['product-manager'] as JsonObject).spec };
          const review = ctx.outputs.reviewer;
          const previous = ctx.outputs.coder;
          if (isObject(review)) out.review = review.review;
          if (isObject(previous)) out.applied = previous.applied;
          return out;
        }),
      },
      {
        id: 'reviewer',
        description: 'Checks the site against the spec and its acceptance criteria.',
        worker: reviewerWorker,
        input: combine({ files: fromStep('coder', 'files'), spec: fromStep('product-manager', 'spec') }),
        onSuccess: [
          { target: 'write-files', label: 'approved', when: ({ output }) => output?.review?.approved === true },
          { target: 'coder', label: 'rejected', when: ({ output }) => output?.review?.approved !== true, maxTimes: MAX_REVISIONS },
          { target: 'failed', label: `still rejected after ${MAX_REVISIONS} revisions` },
        ],
      },
      {
        id: 'write-files',
        description: 'Writes the approved site to the artefact folder.',
        worker: writeFilesWorker,
        input: customInput((ctx) => {
          const out: JsonObject = { files: (ctx.outputs.coder as JsonObject).files };
          const outDir = runInput(ctx).outDir;
          if (typeof outDir === 'string') out.outDir = outDir;
          return out;
        }),
        onSuccess: 'succeeded',
      },
    ],
    output: (ctx) => {
      const review = isObject(ctx.outputs.reviewer) && isObject(ctx.outputs.reviewer.review) ? ctx.outputs.reviewer.review : null;
      const coder = isObject(ctx.outputs.coder) ? ctx.outputs.coder : null;
      const written = isObject(ctx.outputs['write-files']) ? ctx.outputs['write-files'] : null;
      return {
        approved: review?.approved ?? false,
        score: review?.score ?? null,
        issues: review?.issues ?? [],
        applied: coder?.applied ?? [],
        outDir: written?.outDir ?? null,
        paths: written?.paths ?? [],
      };
    },
  });
}
