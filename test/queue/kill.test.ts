import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { createQueueExecutor } from '../../src/queue/queue-executor.ts';
import { startWorkerPool } from '../../src/queue/worker-pool.ts';
import { requireServices, startRedis } from '../support/services.ts';
import { attemptOpts, freshRunId, until } from './support.ts';

const it = requireServices(test, ['redis']);
const ROOT = path.resolve(import.meta.dirname, '../..');

it('a worker process killed with -9 mid-attempt: its job finishes on another pool within seconds', async () => {
  const redis = await startRedis();
  const hub = createQueueExecutor({ redis: redis.url });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/queue/pool-child.ts'), redis.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  let survivor: Awaited<ReturnType<typeof startWorkerPool>> | undefined;
  try {
    await until(() => out.includes('ready\n'), 15_000, 'the worker process to serve');
    const handover = defineWorker({
      name: 'handover',
      description: 'Finishes at once in this process.',
      input: z.object({ n: z.number() }),
      output: z.object({ n: z.number(), by: z.string() }),
      run: ({ n }) => ({ n, by: 'survivor' }),
    });
    const runId = freshRunId('kill');
    const pending = hub.execute(handover, { n: 3 }, attemptOpts(runId, 'a'));
    await until(() => out.includes(`started ${runId}/a/1`), 5000, 'the attempt to start in the worker process');
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    survivor = await startWorkerPool({ redis: redis.url, workers: [handover] });
    const r = await pending;
    const recoveredMs = Date.now() - killedAt;
    assert.equal(r.ok && r.output, { n: 3, by: 'survivor' });
    assert.ok(recoveredMs < 8000, `taken up again after ${recoveredMs} ms`);
    console.log(`  job of a SIGKILLed worker process finished on another pool ${recoveredMs} ms after the kill`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await survivor?.close();
    await hub.close();
    await redis.stop();
  }
});

it.run();
