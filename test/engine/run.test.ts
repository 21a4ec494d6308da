import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow, run, startRun, VirtualClock, replay } from '../../src/index.ts';
import { mergeDeps, toShared } from '../../transformers/index.ts';
import { echo, scripted, tempStore } from '../support/workers.ts';

const retrying = (worker: any, extra: any = {}) =>
  defineWorkflow({ id: 'retrying', onFailure: 'failed', steps: [{ id: 'a', worker, retry: { maxAttempts: 3, initialDelayMs: 1000, backoffFactor: 2 }, ...extra }] });

test('retries with exponential backoff on the virtual clock, recorded as timers', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const clock = new VirtualClock(0);
  const r = await run(retrying(scripted({ a: ['fail', 'fail', 'ok'] }, calls)), null, { store, clock });
  assert.equal(r.status, 'succeeded');
  assert.equal(calls, ['a#1', 'a#2', 'a#3']);
  const timers = store.read(r.runId).filter((e) => e.type === 'timer.set');
  assert.equal(timers.map((t: any) => [t.delayMs, t.purpose]), [[1000, 'backoff'], [2000, 'backoff']]);
  assert.equal(clock.now(), 3000, 'no real sleeping: virtual time advanced by the backoffs');
});

test('retries stop at maxAttempts and the run fails with the last error', async () => {
  const r = await run(retrying(scripted({ a: ['fail', 'fail', 'fail', 'ok'] })), null, { store: tempStore(), clock: new VirtualClock() });
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.message, 'a failed on attempt 3');
});

test('a non-retryable error fails at once', async () => {
  const calls: string[] = [];
  const r = await run(retrying(scripted({ a: ['fatal'] }, calls)), null, { store: tempStore(), clock: new VirtualClock() });
  assert.equal(r.status, 'failed');
  assert.equal(calls, ['a#1']);
  assert.equal(r.error?.name, 'FatalError');
});

test('a per-attempt timeout aborts the attempt and retries', async () => {
  const calls: string[] = [];
  const store = tempStore();
  const r = await run(retrying(scripted({ a: ['hang', 'ok'] }, calls), { timeoutMs: 500 }), null, { store, clock: new VirtualClock() });
  assert.equal(r.status, 'succeeded');
  assert.equal(calls, ['a#1', 'a#2']);
  const events = store.read(r.runId);
  assert.ok(events.some((e) => e.type === 'timer.fired' && e.id.includes('timeout_a')));
  assert.ok(replay(events, retrying(scripted({}), { timeoutMs: 500 })).ok);
});

test('an output failing its schema is a step failure naming worker, field and value', async () => {
  const r = await run(retrying(scripted({ a: ['bad-output', 'bad-output', 'bad-output'] })), null, { store: tempStore(), clock: new VirtualClock() });
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.name, 'OutputValidationError');
  assert.match(r.error!.message, 'worker "scripted"');
  assert.match(r.error!.message, 'field attempt = "one"');
});

test('an input transformer error names the step and does not run the worker', async () => {
  const calls: string[] = [];
  const wf = defineWorkflow({ id: 'tx', onFailure: 'failed', steps: [{ id: 'a', worker: scripted({}, calls), input: (ctx) => (ctx.input as any).missing.field }] });
  const r = await run(wf, {}, { store: tempStore(), clock: new VirtualClock() });
  assert.equal(r.status, 'failed');
  assert.match(r.error!.message, 'step "a": input transformer');
  assert.equal(calls, []);
});

test('workers see only their input and a narrow context', async () => {
  let seen: string[] = [];
  const spy = defineWorker({ name: 'spy', description: 'Records what it can see.', input: z.object({ q: z.string() }), output: z.object({ ok: z.boolean() }), run: (input, ctx) => ((seen = [...Object.keys(input), '|', ...Object.keys(ctx).sort()]), { ok: true }) });
  await run(defineWorkflow({ id: 'iso', onFailure: 'failed', steps: [{ id: 's', worker: spy }] }), { q: 'x', secret: 'hub only' }, { store: tempStore() });
  assert.equal(seen, ['q', '|', 'attempt', 'reportCost', 'reportUsage', 'runId', 'signal', 'sleep', 'step']);
});

test('DAG: ready steps run in parallel, dependants get merged dependency outputs, output transformers fold into shared', async () => {
  const order: string[] = [];
  const w = defineWorker({ name: 'w', description: 'Sleeps then returns its step.', input: z.any(), output: z.any(), run: async (input, ctx) => (order.push(`start:${ctx.step}`), await ctx.sleep(ctx.step === 'b' ? 50 : 10), order.push(`end:${ctx.step}`), { from: ctx.step, input }) });
  const wf = defineWorkflow({
    id: 'diamond',
    steps: [
      { id: 'a', worker: w, dependsOn: [] },
      { id: 'b', worker: w, dependsOn: ['a'], output: toShared('bOut') },
      { id: 'c', worker: w, dependsOn: ['a'] },
      { id: 'd', worker: w, dependsOn: ['b', 'c'], input: mergeDeps() },
    ],
  });
  const r = await run(wf, { x: 1 }, { store: tempStore(), clock: new VirtualClock() });
  assert.equal(r.status, 'succeeded');
  assert.equal(order.slice(0, 4), ['start:a', 'end:a', 'start:b', 'start:c'], 'b and c start together');
  assert.equal((r.output as any).input, { b: { from: 'b', input: { from: 'a', input: { x: 1 } } }, c: { from: 'c', input: { from: 'a', input: { x: 1 } } } });
  assert.equal((r.context.shared as any).bOut.from, 'b');
});

test('a failing DAG step stops its running siblings and fails the run', async () => {
  const calls: string[] = [];
  const wf = defineWorkflow({ id: 'dagfail', steps: [{ id: 'a', worker: scripted({ a: ['fatal'] }, calls), dependsOn: [] }, { id: 'b', worker: scripted({ b: ['hang'] }, calls), dependsOn: [] }, { id: 'c', worker: echo, dependsOn: ['a', 'b'] }] });
  const r = await run(wf, null, { store: tempStore(), clock: new VirtualClock() });
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.name, 'FatalError');
});

test('approval steps: approve continues, reject fails, no answer times out', async () => {
  const wf = defineWorkflow({ id: 'ok', onFailure: 'failed', steps: [{ id: 'draft', worker: echo }, { id: 'sign', type: 'approval', timeoutMs: 60_000, onSuccess: 'publish' }, { id: 'publish', worker: echo }] });
  const store = tempStore();
  const approved = startRun(wf, { n: 1 }, { store, clock: new VirtualClock(), onApprovalRequested: (step) => approved.approve(step, { by: 'ana' }) });
  const r1 = await approved.result;
  assert.equal(r1.status, 'succeeded');
  assert.equal(r1.context.outputs.sign, { approved: true, by: 'ana' });
  const rejected = startRun(wf, { n: 1 }, { store, clock: new VirtualClock(), onApprovalRequested: (step) => rejected.reject(step, { comment: 'no' }) });
  assert.equal((await rejected.result).error?.name, 'ApprovalRejected');
  const clock = new VirtualClock();
  const r3 = await run(wf, { n: 1 }, { store, clock });
  assert.equal(r3.error?.name, 'ApprovalTimeout');
  assert.equal(clock.now(), 60_000);
  for (const id of [r1.runId, r3.runId]) assert.ok(replay(store.read(id), wf).ok);
});

test('cancellation with an AbortSignal stops in-flight work and records it', async () => {
  const controller = new AbortController();
  let aborted = false;
  const slow = defineWorker({ name: 'slow', description: 'Waits until aborted.', input: z.any(), output: z.any(), run: (_i, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => ((aborted = true), reject(new Error('stopped'))))) });
  const store = tempStore();
  const p = run(defineWorkflow({ id: 'cancel', onFailure: 'failed', steps: [{ id: 'a', worker: slow }] }), null, { store, signal: controller.signal });
  setTimeout(() => controller.abort(new Error('user pressed stop')), 20);
  const r = await p;
  assert.equal(r.status, 'cancelled');
  assert.ok(aborted);
  const types = store.read(r.runId).map((e) => e.type);
  assert.equal(types.slice(-2), ['run.cancelled', 'run.finished']);
});

test('concurrency limits: per run and per worker', async () => {
  let now = 0;
  let peak = 0;
  const make = (limit?: number) =>
    defineWorker({ name: 'busy', description: 'Counts overlap.', input: z.any(), output: z.any(), concurrency: limit, run: async () => ((now++, (peak = Math.max(peak, now))), await new Promise((r) => setTimeout(r, 5)), now--, null) });
  const fan = (worker: any) => defineWorkflow({ id: 'fan', steps: Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, worker, dependsOn: [] })) });
  await run(fan(make()), null, { store: tempStore(), concurrency: 3 });
  assert.equal(peak, 3);
  peak = 0;
  await run(fan(make(2)), null, { store: tempStore() });
  assert.equal(peak, 2);
});

test('costs reported by workers are summed into the run', async () => {
  const wf = defineWorkflow({ id: 'cost', onFailure: 'failed', steps: [{ id: 'a', worker: scripted({ a: ['cost:0.25'] }) }, { id: 'b', worker: scripted({ b: ['cost:0.5'] }) }] });
  const r = await run(wf, null, { store: tempStore(), clock: new VirtualClock() });
  assert.equal(r.cost, 0.75);
});

test('a worker output that is not JSON is rejected', async () => {
  const weird = defineWorker({ name: 'weird', description: 'Returns a Date.', input: z.any(), output: z.any(), run: () => ({ when: new Date(0) }) });
  const r = await run(defineWorkflow({ id: 'json', onFailure: 'failed', steps: [{ id: 'a', worker: weird }] }), null, { store: tempStore() });
  assert.equal(r.status, 'failed');
  assert.match(r.error!.message, 'when');
});

test.run();
