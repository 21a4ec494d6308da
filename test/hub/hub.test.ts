import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';
import { submitRun, waitForRun } from '../../src/hub/client.ts';
import { startHub, type Hub } from '../../src/hub/hub.ts';
import { serveHubMetrics } from '../../src/hub/metrics-server.ts';
import { replay } from '../../src/replay.ts';
import { pgFixture, type PgFixture } from '../pg/helpers.ts';
import { requireServices } from '../support/services.ts';
import approvalFlow from '../support/approval-flow.ts';

const it = requireServices(test, ['postgres']);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let executions = 0;
const add = defineWorker({
  name: 'add-one',
  description: 'Adds one after a short wait.',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  retry: { maxAttempts: 2, initialDelayMs: 5 },
  async run({ n }, ctx) {
    executions++;
    await ctx.sleep(5);
    return { n: n + 1 };
  },
});
const chain = defineWorkflow({ id: 'hub-chain', onFailure: 'failed', steps: ['a', 'b', 'c'].map((id) => ({ id, worker: add })) });

let fx: PgFixture;
const hubs: Hub[] = [];
it.before(async () => {
  fx = await pgFixture('hub');
});
it.after.each(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});
it.after(async () => {
  await fx.end();
});

it('a submitted run is taken by a hub, driven to its end, and replays exactly', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  hubs.push(startHub({ store, workflows: [chain] }));
  const runId = await submitRun(store, 'hub-chain', { n: 1 });
  const finished = await waitForRun(store, runId);
  assert.is(finished.status, 'succeeded');
  assert.equal(finished.output, { n: 4 });
  const events = await store.read(runId);
  assert.equal(events.map((e) => e.seq), events.map((_, i) => i + 1));
  assert.ok(replay(events, chain).ok);
  assert.is((await store.listRuns({ status: 'succeeded' })).runs.some((r) => r.runId === runId), true);
});

it('two hubs share 60 runs: each run is driven by one hub, once, and every step runs once', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  const seen = new Map<string, number>();
  const note = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
  hubs.push(startHub({ store, workflows: [chain], holder: 'h1', onRunEnded: note }), startHub({ store, workflows: [chain], holder: 'h2', onRunEnded: note }));
  const before = executions;
  const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => submitRun(store, 'hub-chain', { n: i })));
  const results = await Promise.all(ids.map((id) => waitForRun(store, id)));
  assert.ok(results.every((r) => r.status === 'succeeded'));
  assert.is(executions - before, 60 * 3, 'every step ran exactly once');
  assert.ok([...seen.values()].every((n) => n === 1), 'each run ended in one hub only');
  for (const id of ids) assert.is((await store.read(id)).filter((e) => e.type === 'run.started').length, 1);
});

it('a hub leaves runs of workflows it does not serve to others', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  hubs.push(startHub({ store, workflows: [approvalFlow], holder: 'only-approvals' }));
  const runId = await submitRun(store, 'hub-chain', { n: 0 });
  await new Promise((r) => setTimeout(r, 300));
  assert.is((await store.read(runId)).length, 0, 'not started by a hub without the workflow');
  hubs.push(startHub({ store, workflows: [chain], holder: 'chains' }));
  assert.is((await waitForRun(store, runId)).status, 'succeeded');
});

it('approve and cancel sent through the store reach the run on whichever hub drives it', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  hubs.push(startHub({ store, workflows: [approvalFlow] }));
  const approved = await submitRun(store, 'needs-approval', { topic: 'tides' });
  const cancelled = await submitRun(store, 'needs-approval', { topic: 'waves' });
  await waitFor(async () => (await store.read(approved)).some((e) => e.type === 'timer.set' && e.purpose === 'approval') && (await store.read(cancelled)).some((e) => e.type === 'timer.set' && e.purpose === 'approval'));
  await store.sendControl(approved, { type: 'approve', id: 'r1', t: Date.now(), step: 'publish', approved: true, by: 'ana' });
  await store.sendControl(cancelled, { type: 'cancel', id: 'r2', t: Date.now(), reason: 'wrong topic', by: 'ana' });
  assert.is((await waitForRun(store, approved)).status, 'succeeded');
  assert.is((await waitForRun(store, cancelled)).status, 'cancelled');
  const received = (await store.read(approved)).find((e) => e.type === 'approval.received');
  assert.is((received as any).by, 'ana');
  assert.is((received as any).requestId, 'r1');
});

it('a hub killed with SIGKILL: another takes its run after the lease, and the approval timer keeps its remaining time', async () => {
  const store = await fx.open({ leaseMs: 1000 });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/bin.ts'), 'hub', '--store', fx.url, '--schema', fx.schema, '--workflow', path.join(ROOT, 'test/hub/timeout-flow.ts'), '--lease', '1s'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`hub exited ${code}`)));
  });
  const runId = await submitRun(store, 'times-out', {});
  await waitFor(async () => (await store.read(runId)).some((e) => e.type === 'timer.set'));
  const timer = (await store.read(runId)).find((e) => e.type === 'timer.set') as any;
  child.kill('SIGKILL');
  hubs.push(startHub({ store, workflows: [(await import('./timeout-flow.ts')).default], holder: 'standby', pollMs: 100 }));
  const finished = await waitForRun(store, runId);
  const events = await store.read(runId);
  const resumed = events.find((e) => e.type === 'run.resumed')!;
  const fired = events.find((e) => e.type === 'timer.fired')!;
  assert.ok(resumed, 'the standby hub resumed it');
  assert.is(finished.status, 'failed', 'the approval timed out');
  assert.ok(fired.t >= timer.fireAt - 5, `fired at ${fired.t}, due ${timer.fireAt}`);
  assert.ok(fired.t - timer.fireAt < 1500, `fired ${fired.t - timer.fireAt} ms late`);
  assert.ok(replay(events, (await import('./timeout-flow.ts')).default).ok);
});

it('a hub that stops (SIGTERM) interrupts its runs and releases them: another hub continues them at once, not after the lease', async () => {
  const store = await fx.open({ leaseMs: 60_000 });
  const slowAdd = defineWorker({ name: 'slow-add', description: 'Adds one after 150 ms.', input: z.object({ n: z.number() }), output: z.object({ n: z.number() }), run: async ({ n }, ctx) => (await ctx.sleep(150), { n: n + 1 }) });
  const slow = defineWorkflow({ id: 'hub-slow', onFailure: 'failed', steps: ['a', 'b', 'c', 'd'].map((id) => ({ id, worker: slowAdd })) });
  const first = startHub({ store, workflows: [slow], holder: 'first' });
  const ids = await Promise.all(Array.from({ length: 5 }, () => submitRun(store, 'hub-slow', { n: 0 })));
  await waitFor(async () => (await Promise.all(ids.map((id) => store.read(id)))).every((es) => es.some((e) => e.type === 'step.succeeded')));
  await first.stop();
  const stoppedAt = Date.now();
  hubs.push(startHub({ store, workflows: [slow], holder: 'second', pollMs: 50 }));
  const results = await Promise.all(ids.map((id) => waitForRun(store, id)));
  assert.ok(results.every((r) => r.status === 'succeeded' && (r.output as { n: number }).n === 4));
  assert.ok(Date.now() - stoppedAt < 5_000, `taken over in ${Date.now() - stoppedAt} ms with a 60 s lease`);
  for (const id of ids) {
    const events = await store.read(id);
    assert.ok(events.some((e) => e.type === 'run.interrupted'), 'the stop is recorded');
    assert.ok(replay(events, slow).ok);
  }
});

it('a hub serves Prometheus metrics of the steps it ran', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  const metrics = await serveHubMetrics({ store, queueDepth: async () => 7, port: 0 });
  try {
    hubs.push(startHub({ store, workflows: [chain], onEvent: metrics.observe }));
    await waitForRun(store, await submitRun(store, 'hub-chain', { n: 0 }));
    const text = await (await fetch(metrics.url)).text();
    assert.match(text, /orchestai_step_duration_seconds_count\{worker="add-one",outcome="succeeded"\} 3/);
    assert.match(text, /orchestai_queue_depth 7/);
    assert.match(text, /orchestai_runs\{status="succeeded"\} [1-9]/);
    assert.is((await fetch(metrics.url.replace('/metrics', '/other'))).status, 404);
  } finally {
    await metrics.close();
  }
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test.run();
