import fs from 'node:fs';
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';

/**
 * Workflows for the crash suite: each step's body sleeps a little and, when it completes,
 * appends `<runId> <step>` to `$CRASH_LOG`, so the suite can count how often each body really ran.
 */
const body = defineWorker({
  name: 'crash-step',
  description: 'Sleeps 5-40 ms, logs that it completed, adds one to n.',
  input: z.object({ n: z.number() }).passthrough(),
  output: z.object({ n: z.number() }),
  retry: { maxAttempts: 3, initialDelayMs: 10 },
  async run({ n }, ctx) {
    await ctx.sleep(5 + ((ctx.step.length * 7 + ctx.attempt * 13) % 36));
    if (process.env.CRASH_LOG) fs.appendFileSync(process.env.CRASH_LOG, `${ctx.runId} ${ctx.step}\n`);
    return { n: n + 1 };
  },
});

export const crashChain = defineWorkflow({
  id: 'crash-chain',
  onFailure: 'failed',
  steps: Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, worker: body })),
});

export const crashDag = defineWorkflow({
  id: 'crash-dag',
  steps: [
    { id: 'src', worker: body },
    ...['a', 'b', 'c', 'd'].map((id) => ({ id, worker: body, dependsOn: ['src'] })),
    { id: 'a2', worker: body, dependsOn: ['a'] },
    { id: 'sink', worker: body, dependsOn: ['a2', 'b', 'c', 'd'], input: () => ({ n: 0 }) },
  ],
});

export const defaultInput = { n: 0 };
