import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';
import type { RunContext, StepInfo } from '../../transformers/index.ts';

/**
 * The chaos suite's workflow: a 6-step DAG whose workers sleep 20-80 ms and fail one attempt in
 * eight (retried). Each body appends `start` and `end` lines to its process's file under
 * `$CHAOS_LOG`, so the suite can count how often each step really started, on any machine.
 */

const log = (line: string) => {
  const dir = process.env.CHAOS_LOG;
  if (dir) fs.appendFileSync(path.join(dir, `${process.pid}.log`), line + '\n');
};

/** A number in [0, 1) fixed by the run, step and attempt: the same attempt always behaves the same. */
const draw = (...parts: (string | number)[]) => createHash('sha1').update(parts.join('|')).digest().readUInt32BE(0) / 2 ** 32;

const step = (name: string) =>
  defineWorker({
    name: `chaos-${name}`,
    description: `Chaos step ${name}: sleeps 20-80 ms, fails one attempt in eight.`,
    input: z.object({ n: z.number() }),
    output: z.object({ n: z.number() }),
    retry: { maxAttempts: 4, initialDelayMs: 40 },
    async run({ n }, ctx) {
      log(`start ${ctx.runId} ${ctx.step} ${ctx.attempt} ${Date.now()}`);
      await ctx.sleep(20 + Math.floor(draw(ctx.runId, ctx.step, ctx.attempt, 'ms') * 61));
      if (draw(ctx.runId, ctx.step, ctx.attempt, 'fail') < 0.125) throw Object.assign(new Error(`chaos: ${ctx.step} attempt ${ctx.attempt} failed on purpose`), { retryable: true });
      log(`end ${ctx.runId} ${ctx.step} ${ctx.attempt} ${Date.now()}`);
      return { n: n + 1 };
    },
  });

/** The step's input: the sum of what the steps it depends on returned (the run input for the first). */
const sum = (ctx: RunContext, step: StepInfo) => ({ n: step.dependsOn.length === 0 ? (ctx.input as { n: number }).n : step.dependsOn.reduce((s, id) => s + (ctx.outputs[id] as { n: number }).n, 0) });

export const chaosDag = defineWorkflow({
  id: 'chaos-dag',
  steps: [
    { id: 'fetch', worker: step('fetch'), input: sum },
    { id: 'parse', worker: step('parse'), dependsOn: ['fetch'], input: sum },
    { id: 'enrich', worker: step('enrich'), dependsOn: ['fetch'], input: sum },
    { id: 'score', worker: step('score'), dependsOn: ['fetch'], input: sum },
    { id: 'merge', worker: step('merge'), dependsOn: ['parse', 'enrich', 'score'], input: sum },
    { id: 'publish', worker: step('publish'), dependsOn: ['merge'], input: sum },
  ],
});

export default chaosDag;
export const defaultInput = { n: 0 };
