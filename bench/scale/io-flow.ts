import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';

/**
 * bench:scale's I/O-bound workflow for parts (b) and (c): a chain of 5 steps whose worker waits
 * `$BENCH_STEP_MS` (default 50 ms) on a timer, as a model or API call would.
 */
const wait = defineWorker({
  name: 'io-wait',
  description: 'Waits a fixed time, like a remote call, and counts.',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  async run({ n }, ctx) {
    await ctx.sleep(Number(process.env.BENCH_STEP_MS ?? 50));
    return { n: n + 1 };
  },
});

export const ioChain = defineWorkflow({ id: 'io-chain', onFailure: 'failed', steps: Array.from({ length: 5 }, (_, i) => ({ id: `s${i}`, worker: wait })) });
export default ioChain;
