import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';
import { createJsonlStore } from '../../src/history/jsonl-store.ts';
import { continueRun } from '../../src/resume.ts';
import { run } from '../../src/run.ts';
import { createQueueExecutor } from '../../src/queue/queue-executor.ts';
import { startWorkerPool, type PoolAttempt } from '../../src/queue/worker-pool.ts';
import { requireServices, startRedis } from '../support/services.ts';

const it = requireServices(test, ['redis']);

let flaky = 0;
const inc = defineWorker({
  name: 'inc',
  description: 'Adds one; fails the first time it sees n = 1 (to exercise the engine retrying over the queue).',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  async run({ n }, ctx) {
    if (n === 0) await ctx.sleep(300); // long enough for the first hub to be stopped during it
    if (n === 1 && flaky++ === 0) throw new Error('transient');
    return { n: n + 1 };
  },
});
const flow = defineWorkflow({
  id: 'queued-chain',
  onFailure: 'failed',
  steps: [
    { id: 'a', worker: inc, retry: { maxAttempts: 3, initialDelayMs: 10 } },
    { id: 'b', worker: inc, retry: { maxAttempts: 3, initialDelayMs: 10 } },
    { id: 'c', worker: inc },
  ],
});

it('a run continued by a hub with the queue executor: its attempts run in a worker pool, retries included, and the history records them', async () => {
  const redis = await startRedis();
  const store = createJsonlStore(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-queue-e2e-')));
  const queue = createQueueExecutor({ redis: redis.url });
  const ran: PoolAttempt[] = [];
  const pool = await startWorkerPool({ redis: redis.url, workers: [inc], onAttempt: (a) => ran.push(a) });
  try {
    // A hub starts step a in its own process and is stopped mid-attempt; another hub continues the run over the queue.
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('SIGTERM')), 100);
    const first = await run(flow, { n: 0 }, { store, interruptSignal: stop.signal });
    assert.is(first.status, 'interrupted');
    const { events, writer } = store.reopen(first.runId);
    const result = await continueRun(first.runId, events, writer, { workflow: flow, control: store.control, execute: queue.execute });
    assert.is(result.status, 'succeeded');
    assert.equal(result.output, { n: 3 });
    assert.equal(ran.map((a) => `${a.step}#${a.attempt}:${a.result.ok}`), ['a#1:true', 'b#1:false', 'b#2:true', 'c#1:true']);
    const recorded = store.read(first.runId).filter((e) => e.type === 'step.failed' || e.type === 'step.succeeded').map((e: any) => `${e.type}:${e.step}#${e.attempt}`);
    assert.equal(recorded, ['step.succeeded:a#1', 'step.failed:b#1', 'step.succeeded:b#2', 'step.succeeded:c#1']);
  } finally {
    await pool.close();
    await queue.close();
    await redis.stop();
  }
});

it.run();
