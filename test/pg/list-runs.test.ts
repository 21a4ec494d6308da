import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PgStore } from '../../src/history/pg/index.ts';
import { requireServices } from '../support/services.ts';
import { finished, pgFixture, sleep, started, type PgFixture } from './helpers.ts';

const it = requireServices(test, ['postgres']);
let fx: PgFixture;
let store: PgStore;

/** Runs started at t = 1000·i: three succeeded (wf-a), one failed (wf-b), one live, one interrupted, one queued. */
it.before(async () => {
  fx = await pgFixture('list');
  store = await fx.open({ leaseMs: 60_000 });
  const plan: [string, string, 'succeeded' | 'failed' | 'live' | 'expired' | 'queued'][] = [
    ['r1', 'wf-a', 'succeeded'],
    ['r2', 'wf-a', 'succeeded'],
    ['r3', 'wf-b', 'failed'],
    ['r4', 'wf-a', 'succeeded'],
    ['r5', 'wf-b', 'live'],
    ['r6', 'wf-a', 'expired'],
  ];
  for (const [i, [id, wf, outcome]] of plan.entries()) {
    await store.submit(id, { workflowId: wf, instruction: `task ${id}`, source: 'builtin' }, {});
    const w = (await store.claim(id, 'hub-a'))!.writer;
    w.append({ ...started(id, (i + 1) * 1_000), workflowId: wf } as never);
    if (outcome === 'succeeded' || outcome === 'failed') w.append(finished(outcome, (i + 1) * 1_000 + 500));
    await w.flush();
  }
  await fx.sql(`UPDATE $schema.runs SET lease_until = now() - interval '1 second' WHERE id = 'r6'`);
  await sleep(5);
  await store.submit('q1', { workflowId: 'wf-a' }, {}); // never started: listed by its submission time (now), so first
});
it.after(async () => fx?.end());

it('lists newest first with statuses, times, cost and owner', async () => {
  const { runs, total } = await store.listRuns();
  assert.is(total, 7);
  assert.equal(runs.map((r) => r.runId), ['q1', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
  assert.equal(runs.map((r) => r.status), ['running', 'interrupted', 'running', 'succeeded', 'failed', 'succeeded', 'succeeded']);
  const r4 = runs.find((r) => r.runId === 'r4');
  assert.equal(r4, { runId: 'r4', workflowId: 'wf-a', status: 'succeeded', startedAt: 4_000, finishedAt: 4_500, durationMs: 40, cost: 0.25, instruction: 'task r4', source: 'builtin' });
  assert.equal(runs.find((r) => r.runId === 'r5')?.owner, { pid: 0, host: 'hub-a', alive: true });
  assert.equal(runs.find((r) => r.runId === 'r6')?.owner, { pid: 0, host: 'hub-a', alive: false });
  const q1 = runs.find((r) => r.runId === 'q1')!;
  assert.is(q1.owner, undefined);
  assert.ok(Math.abs(q1.startedAt - Date.now()) < 60_000, 'a queued run is dated by its submission');
});

it('filters by status, workflow and start time; pages after filtering; the total ignores paging', async () => {
  const ids = async (q: Parameters<PgStore['listRuns']>[0]) => {
    const { runs, total } = await store.listRuns(q);
    return { ids: runs.map((r) => r.runId), total };
  };
  assert.equal(await ids({ status: 'succeeded' }), { ids: ['r4', 'r2', 'r1'], total: 3 });
  assert.equal(await ids({ status: ['failed', 'interrupted'] }), { ids: ['r6', 'r3'], total: 2 });
  assert.equal(await ids({ status: 'damaged' }), { ids: [], total: 0 });
  assert.equal(await ids({ workflowId: 'wf-b' }), { ids: ['r5', 'r3'], total: 2 });
  assert.equal(await ids({ since: 2_000, before: 5_000 }), { ids: ['r4', 'r3', 'r2'], total: 3 });
  assert.equal(await ids({ workflowId: 'wf-a', status: 'succeeded', limit: 2 }), { ids: ['r4', 'r2'], total: 3 });
  assert.equal(await ids({ workflowId: 'wf-a', status: 'succeeded', limit: 2, offset: 2 }), { ids: ['r1'], total: 3 });
  assert.equal(await ids({ offset: 50, limit: 10 }), { ids: [], total: 7 });
  assert.equal(await ids({ workflowId: "wf-a'; DROP TABLE runs; --" }), { ids: [], total: 0 });
});

test.run();
