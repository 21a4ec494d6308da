import fs from 'node:fs';
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';

/**
 * A chain whose steps take real time and log every execution to `$SLOW_CHAIN_LOG`,
 * so a test can kill the process mid-run and count how often each step really ran.
 */
const slow = defineWorker({
  name: 'slow-step',
  description: 'Waits a while, logs that it ran, and adds one to a counter.',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  async run({ n }, ctx) {
    await new Promise((r) => setTimeout(r, Number(process.env.SLOW_CHAIN_MS ?? 150)));
    if (process.env.SLOW_CHAIN_LOG) fs.appendFileSync(process.env.SLOW_CHAIN_LOG, `${ctx.step}\n`);
    return { n: n + 1 };
  },
});

export const workflow = defineWorkflow({
  id: 'slow-chain',
  onFailure: 'failed',
  steps: Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, worker: slow })),
});

export const defaultInput = { n: 0 };
