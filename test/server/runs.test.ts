import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FINISHED, sseMessages, testServer, until, WAITING } from './support.ts';

/**
 * Runs through the API: started in the server's process with its store, listed with filters and
 * paging, approved, rejected and cancelled while live; the metrics they feed.
 */

const s = testServer({ maxRuns: 2 });

const json = async (res: Response, status: number): Promise<any> => {
  assert.is(res.status, status, await res.clone().text());
  return res.json();
};
const finished = (runId: string) => s.store.exists(runId) && s.store.read(runId).some((e) => e.type === 'run.finished');
const statusOf = (runId: string) => (s.store.read(runId).find((e) => e.type === 'run.finished') as any)?.status;
const waitingFor = (runId: string, step: string) => s.store.exists(runId) && s.store.read(runId).some((e) => e.type === 'timer.set' && e.purpose === 'approval' && e.step === step);

test('POST /api/runs starts a run that finishes in the store; GET /api/runs/:id shows it', async () => {
  const started = await json(await s.call('operator', 'POST', '/api/runs', { workflow: 'quick', input: { ms: 5 } }), 202);
  assert.is(started.workflowId, 'quick');
  assert.is(started.status, 'started');
  await until(() => finished(started.runId), 5_000, 'the run to finish');
  assert.is(statusOf(started.runId), 'succeeded');
  const run = await json(await s.call('viewer', 'GET', `/api/runs/${started.runId}`), 200);
  assert.is(run.workflowId, 'quick');
  assert.is(run.finished, true);
  assert.is(run.chart.from, 'built-in quick');
});

test('GET /api/runs: status, workflow, since/before filters and paging', async () => {
  const all = await json(await s.call('viewer', 'GET', '/api/runs?limit=500'), 200);
  assert.ok(all.total >= 3);
  const shop = await json(await s.call('viewer', 'GET', '/api/runs?workflow=shop'), 200);
  assert.equal(shop.runs.map((r: any) => r.runId).sort(), [FINISHED, WAITING].sort());
  const ok = await json(await s.call('viewer', 'GET', '/api/runs?status=succeeded&workflow=shop'), 200);
  assert.equal(ok.runs.map((r: any) => r.runId), [FINISHED]);
  const two = await json(await s.call('viewer', 'GET', '/api/runs?status=succeeded,interrupted&workflow=shop'), 200);
  assert.is(two.total, 2);
  const recent = await json(await s.call('viewer', 'GET', `/api/runs?since=${new Date(Date.now() - 60_000).toISOString()}`), 200);
  assert.ok(recent.runs.every((r: any) => r.workflowId !== 'shop'), 'the hand-written runs are from 2026-11-21');
  const old = await json(await s.call('viewer', 'GET', `/api/runs?before=${Date.UTC(2026, 10, 22)}`), 200);
  assert.is(old.total, 2);
  const page1 = await json(await s.call('viewer', 'GET', '/api/runs?limit=1&offset=0'), 200);
  const page2 = await json(await s.call('viewer', 'GET', '/api/runs?limit=1&offset=1'), 200);
  assert.is(page1.runs.length, 1);
  assert.is.not(page1.runs[0].runId, page2.runs[0].runId);
  assert.equal([page2.offset, page2.limit], [1, 1]);
});

test('approve through the API reaches a live run: it goes on and succeeds', async () => {
  const { runId } = await json(await s.call('operator', 'POST', '/api/runs', { workflow: 'gated', input: { ms: 1 } }), 202);
  await until(() => waitingFor(runId, 'review'), 5_000, 'the approval to be asked');
  const r = await json(await s.call('operator', 'POST', `/api/runs/${runId}/approve`, { step: 'review', comment: 'looks good' }), 200);
  assert.equal([r.delivered, r.approved, r.by], ['live', true, 'token ops']);
  await until(() => finished(runId), 5_000, 'the run to finish');
  assert.is(statusOf(runId), 'succeeded');
  const decision = s.store.read(runId).find((e) => e.type === 'approval.received') as any;
  assert.equal([decision.approved, decision.by, decision.comment], [true, 'token ops', 'looks good']);
});

test('reject through the API reaches a live run: it fails at the approval', async () => {
  const { runId } = await json(await s.call('operator', 'POST', '/api/runs', { workflow: 'gated', input: { ms: 1 } }), 202);
  await until(() => waitingFor(runId, 'review'), 5_000, 'the approval to be asked');
  const r = await json(await s.call('admin', 'POST', `/api/runs/${runId}/reject`, { step: 'review', by: 'ana' }), 200);
  assert.equal([r.delivered, r.approved, r.by], ['live', false, 'ana (token root)']);
  await until(() => finished(runId), 5_000, 'the run to finish');
  assert.is.not(statusOf(runId), 'succeeded');
  assert.is((s.store.read(runId).find((e) => e.type === 'approval.received') as any).approved, false);
});

test('cancel through the API ends a live run as cancelled; a second cancel is a 409', async () => {
  const { runId } = await json(await s.call('operator', 'POST', '/api/runs', { workflow: 'slow', input: { ms: 30_000 } }), 202);
  await until(() => s.store.exists(runId) && s.store.read(runId).some((e) => e.type === 'step.started'), 5_000, 'the step to start');
  const r = await json(await s.call('operator', 'POST', `/api/runs/${runId}/cancel`, { reason: 'no longer needed' }), 200);
  assert.is(r.delivered, 'live');
  await until(() => finished(runId), 5_000, 'the run to end');
  assert.is(statusOf(runId), 'cancelled');
  const again = await json(await s.call('operator', 'POST', `/api/runs/${runId}/cancel`, {}), 409);
  assert.match(again.message, 'already finished');
});

test('beyond --max-runs a run waits in the queue (orchestai_queue_depth), then starts', async () => {
  const a = await json(await s.call('operator', 'POST', '/api/runs', { workflow: 'slow', input: { ms: 300 } }), 202);
  const b = await json(await s.call('operator', 'POST', '/api/runs', { workflow: 'slow', input: { ms: 300 } }), 202);
  const c = await json(await s.call('operator', 'POST', '/api/runs', { workflow: 'slow', input: { ms: 1 } }), 202);
  assert.equal([a.status, b.status, c.status], ['started', 'started', 'queued']);
  assert.is(s.store.exists(c.runId), false);
  const text = await (await s.call('viewer', 'GET', '/metrics')).text();
  assert.match(text, /^orchestai_queue_depth 1$/m);
  const early = await json(await s.call('operator', 'POST', `/api/runs/${c.runId}/cancel`, {}), 409);
  assert.match(early.message, 'waits for a run slot');
  // SSE waits for the queued run to start, then streams it to its end.
  const stream = await s.call('viewer', 'GET', `/api/runs/${c.runId}/events`, undefined, { accept: 'text/event-stream' });
  const msgs = sseMessages(await stream.text());
  assert.is(JSON.parse(msgs[0].data).type, 'run.started');
  assert.is(JSON.parse(msgs.at(-1)!.data).type, 'run.finished');
  await until(() => finished(c.runId), 5_000, 'the queued run to finish');
  assert.is(statusOf(c.runId), 'succeeded');
  assert.match(await (await s.call('viewer', 'GET', '/metrics')).text(), /^orchestai_queue_depth 0$/m);
});

test('GET /metrics: Prometheus text with runs by status, step durations and worker cost', async () => {
  const res = await s.call('viewer', 'GET', '/metrics');
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await res.text();
  for (const name of ['orchestai_runs', 'orchestai_step_duration_seconds', 'orchestai_worker_cost_total', 'orchestai_queue_depth']) assert.match(text, `# TYPE ${name} `);
  assert.match(text, /^orchestai_runs\{status="interrupted"\} 1$/m); // the hand-written waiting run: no process holds it
  assert.match(text, /^orchestai_runs\{status="cancelled"\} 1$/m);
  assert.match(text, /^orchestai_step_duration_seconds_count\{worker="quick-one",outcome="succeeded"\} 1$/m);
  assert.match(text, /^orchestai_worker_cost_total\{worker="quick-two"\} 0\.5$/m);
});

test('POST /api/plan plans an instruction with the planner', async () => {
  const r = await json(await s.call('operator', 'POST', '/api/plan', { instruction: 'Summarise report.md and chart its figures' }), 200);
  assert.is(r.instruction, 'Summarise report.md and chart its figures');
  assert.ok(r.plan.nodes.length >= 2);
  assert.ok(r.plan.nodes.some((n: any) => n.worker === 'read-file'));
  assert.not.ok('unmatched' in r || 'declined' in r || 'unreachable' in r, 'nothing undone, declined or unreachable');
});

test('POST /api/plan says which clauses no worker does, which chosen workers the instruction declines or nothing it gives can feed, and when the plan cannot start', async () => {
  const instruction = 'Bar chart from data/la-spending.csv, one bar per local authority. No report, just the chart. Then email it to my boss.';
  const r = await json(await s.call('operator', 'POST', '/api/plan', { instruction }), 200);
  assert.equal(r.plan.nodes.map((n: any) => n.worker), ['csv-stats', 'render-chart']);
  assert.equal(r.unmatched, ['email it to my boss']);
  assert.equal(r.declined, ['compose-report']);
  // hw-2241 (dev): the second opinion adds readability statistics of a text the instruction does not carry.
  const csvOnly = await json(await s.call('operator', 'POST', '/api/plan', { instruction: 'Word counts per job for the month are in invoices/words-per-job-march.csv. Bar chart plus a little report for my accountant, who asks every year what it is I actually do.' }), 200);
  assert.equal(csvOnly.plan.nodes.map((n: any) => n.worker), ['csv-stats', 'render-chart', 'compose-report']);
  assert.equal(csvOnly.unreachable, ['text-stats'], 'statistics of a text the instruction does not carry');
  const unfed = await json(await s.call('operator', 'POST', '/api/plan', { instruction: 'summarise my meeting notes' }), 200);
  assert.equal([unfed.cannotStart, unfed.plan.lowConfidence], [['summarise'], true]);
});

test('POST /api/prune deletes finished runs older than a duration, never an unfinished one', async () => {
  const dry = await json(await s.call('admin', 'POST', '/api/prune', { olderThanMs: 24 * 3_600_000, dryRun: true }), 200);
  assert.equal(dry.deleted, [FINISHED]);
  assert.ok(s.store.exists(FINISHED));
  const real = await json(await s.call('admin', 'POST', '/api/prune', { olderThanMs: 24 * 3_600_000 }), 200);
  assert.equal([real.deleted, real.dryRun], [[FINISHED], false]);
  assert.not.ok(s.store.exists(FINISHED));
  assert.ok(s.store.exists(WAITING));
});

test('the app reported no unexpected errors (500s)', () => {
  assert.equal(s.errors, []);
});

test.after(async () => {
  await s.close();
});

test.run();
