import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createQueueExecutor, type QueueExecutor } from '../../src/queue/queue-executor.ts';
import { startWorkerPool, type PoolAttempt, type WorkerPool } from '../../src/queue/worker-pool.ts';
import { requireServices, startRedis, type RedisService } from '../support/services.ts';
import { attemptOpts, countingWorker, freshRunId } from './support.ts';

const it = requireServices(test, ['redis']);
let redis: RedisService;
let hub: QueueExecutor;
const calls: string[] = [];
const double = countingWorker('double', calls);
const pools: WorkerPool[] = [];
const ran: PoolAttempt[] = [];

it.before(async () => {
  redis = await startRedis();
  hub = createQueueExecutor({ redis: redis.url });
  // Two pools in one process: two "machines" serving the same worker.
  for (let i = 0; i < 2; i++) pools.push(await startWorkerPool({ redis: redis.url, workers: [double], concurrency: 4, onAttempt: (a) => ran.push(a) }));
});

it.after(async () => {
  await hub?.close();
  for (const p of pools) await p.close();
  await redis?.stop();
});

it('an attempt round-trips through Redis: output, duration and the worker process ran it once', async () => {
  const runId = freshRunId('rt');
  const r = await hub.execute(double, { n: 21 }, attemptOpts(runId, 'a'));
  assert.equal(r.ok && r.output, { n: 42 });
  assert.ok(r.durationMs >= 0);
  assert.equal(calls.filter((c) => c.startsWith(runId)), [`${runId}/a/1`]);
  assert.is(ran.find((a) => a.runId === runId)?.jobId, `${runId}/a/1`);
});

it('a failing worker comes back as data (ok: false with its error), not as a thrown error', async () => {
  const r = await hub.execute(double, { n: 1, fail: 'no luck' }, attemptOpts(freshRunId('fail'), 'a'));
  assert.is(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error, { name: 'BoomError', message: 'no luck', retryable: true });
  assert.is(r.aborted, false);
  // Invalid input is refused by the worker process's schema check, also as data.
  const bad = await hub.execute(double, { n: 'x' } as any, attemptOpts(freshRunId('bad'), 'b'));
  assert.is(bad.ok, false);
  if (!bad.ok) assert.is(bad.error.name, 'InputValidationError');
});

it('the same attempt enqueued twice at once runs once and both callers get its result', async () => {
  const runId = freshRunId('dup');
  const [a, b] = await Promise.all([
    hub.execute(double, { n: 5, ms: 200 }, attemptOpts(runId, 's', 3)),
    hub.execute(double, { n: 5, ms: 200 }, attemptOpts(runId, 's', 3)),
  ]);
  assert.equal(a.ok && a.output, { n: 10 });
  assert.equal(b.ok && b.output, { n: 10 });
  assert.is(calls.filter((c) => c.startsWith(runId)).length, 1);
});

it('a finished attempt enqueued again later (another hub resuming the run) returns the stored result without running', async () => {
  const runId = freshRunId('failover');
  const first = await hub.execute(double, { n: 7 }, attemptOpts(runId, 'x'));
  assert.equal(first.ok && first.output, { n: 14 });
  // A second hub process (its own executor and connections) re-launches the same attempt.
  const second = createQueueExecutor({ redis: redis.url });
  try {
    const t0 = Date.now();
    const again = await second.execute(double, { n: 7 }, attemptOpts(runId, 'x'));
    assert.equal(again, first);
    assert.ok(Date.now() - t0 < 900, `answered from the stored result in ${Date.now() - t0} ms, before any poll`);
    // A different attempt number is a different job and does run.
    const next = await second.execute(double, { n: 7 }, attemptOpts(runId, 'x', 2));
    assert.equal(next.ok && next.output, { n: 14 });
  } finally {
    await second.close();
  }
  assert.equal(calls.filter((c) => c.startsWith(runId)), [`${runId}/x/1`, `${runId}/x/2`]);
});

it('depth() counts waiting and active jobs per queue', async () => {
  const depth = await hub.depth();
  assert.equal(depth, { double: 0 });
  const runId = freshRunId('depth');
  const pending = Array.from({ length: 12 }, (_, i) => hub.execute(double, { n: i, ms: 300 }, attemptOpts(runId, `s${i}`)));
  await new Promise((r) => setTimeout(r, 100));
  assert.is((await hub.depth()).double, 12); // 8 active (2 pools x 4) + 4 waiting
  await Promise.all(pending);
  assert.is((await hub.depth()).double, 0);
});

it('with Redis unreachable an attempt still ends at its abort (the engine\'s timeout), and close() returns', async () => {
  const down = createQueueExecutor({ redis: 'redis://127.0.0.1:1' });
  const t0 = Date.now();
  const r = await down.execute(double, { n: 1 }, attemptOpts(freshRunId('down'), 'a', 1, { signal: AbortSignal.timeout(300) }));
  assert.is(r.ok, false);
  assert.ok(!r.ok && r.aborted);
  assert.ok(Date.now() - t0 < 1500, `ended ${Date.now() - t0} ms after start`);
  await down.close();
});

it.run();
