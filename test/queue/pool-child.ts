/**
 * A worker process for test/queue/kill.test.ts: serves `handover` (which hangs here) on the Redis
 * URL given as argv[2], prints `ready` once serving and `started <jobId>` when an attempt begins.
 */
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { startWorkerPool } from '../../src/queue/worker-pool.ts';

const handover = defineWorker({
  name: 'handover',
  description: 'Hangs in this process (it is about to be killed).',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number(), by: z.string() }),
  async run({ n }, ctx) {
    process.stdout.write(`started ${ctx.runId}/${ctx.step}/${ctx.attempt}\n`);
    await ctx.sleep(60_000);
    return { n, by: 'child' };
  },
});

// Only as a process given a URL: a test runner with a loose pattern may import this file (as CommonJS,
// hence no top-level await), and must then get nothing started.
const url = process.argv[2];
if (url?.startsWith('redis://')) void startWorkerPool({ redis: url, workers: [handover] }).then(() => process.stdout.write('ready\n'));
