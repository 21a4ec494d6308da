import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineWorkflow, replay, run, stateAt, VirtualClock } from '../../src/index.ts';
import { echo, scripted, tempStore } from '../support/workers.ts';

const review = (order: string[] = ['plan', 'write', 'check']) =>
  defineWorkflow({
    id: 'review',
    onFailure: 'failed',
    steps: order.map((id) =>
      id === 'check'
        ? { id, worker: scripted({ check: ['ok'] }), onSuccess: [{ when: ({ output }: any) => output.attempt > 1, target: 'succeeded' }, { target: 'write', maxTimes: 2 }, { target: 'succeeded' }] }
        : { id, worker: scripted({ write: ['fail', 'ok'] }), retry: { maxAttempts: 2, initialDelayMs: 10 } },
    ),
  });

test('a recorded run replays with no divergence and calls no worker', async () => {
  const store = tempStore();
  const r = await run(review(), { n: 0 }, { store, clock: new VirtualClock() });
  assert.equal(r.status, 'succeeded');
  const calls: string[] = [];
  const wf = defineWorkflow({ ...({} as any), id: 'review', onFailure: 'failed', steps: review().steps.map((s) => ({ id: s.id, worker: scripted({}, calls), retry: s.retry, onSuccess: s.branches as any })) });
  const result = replay(store.read(r.runId), wf);
  assert.ok(result.ok, result.divergence?.message);
  assert.equal(calls, []);
  assert.equal(result.status, 'succeeded');
  assert.equal(result.context.outputs, r.context.outputs);
});

test('changing the step order makes replay report the first differing event', async () => {
  const store = tempStore();
  const r = await run(review(), { n: 0 }, { store, clock: new VirtualClock() });
  const history = store.read(r.runId);
  const result = replay(history, review(['write', 'plan', 'check']));
  assert.not.ok(result.ok);
  assert.equal(result.divergence!.seq, 2);
  assert.match(result.divergence!.expected, 'plan.running');
  assert.match(result.divergence!.actual, 'write.running');
  assert.is(result.divergence!.expected, 'transition on xstate.init from [] to [plan.running]');
  assert.ok(result.definitionChanged);
});

test('a changed transformer that alters a step input is a divergence at that step', async () => {
  const store = tempStore();
  const base = (input?: any) => defineWorkflow({ id: 'tx', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: echo, ...(input ? { input } : {}) }] });
  const r = await run(base(), { n: 1 }, { store });
  const result = replay(store.read(r.runId), base(() => ({ n: 100 })));
  assert.not.ok(result.ok);
  assert.match(result.divergence!.expected, 'step.started b');
  // The same event type on both sides: the differing field is named, with its value on each side.
  assert.match(result.divergence!.expected, /^step\.started b input \{"n":\d+\}$/);
  assert.is(result.divergence!.actual, 'step.started b input {"n":100}');
  assert.match(result.divergence!.message, /^event #\d+: expected step\.started b input \{"n":\d+\}, but the workflow now produces step\.started b input \{"n":100\}$/);
});

test('time travel: the state and context as of any event', async () => {
  const store = tempStore();
  const r = await run(review(), { n: 0 }, { store, clock: new VirtualClock() });
  const history = store.read(r.runId);
  const firstWrite = history.find((e) => e.type === 'step.started' && e.step === 'write')!;
  const at = stateAt(history, review(), firstWrite.seq);
  assert.equal(at.active, ['write.running']);
  assert.equal(Object.keys(at.context.outputs), ['plan']);
  const retryWait = history.find((e) => e.type === 'transition' && e.to[0] === 'write.waiting')!;
  assert.equal(stateAt(history, review(), retryWait.seq).active, ['write.waiting']);
  assert.equal(stateAt(history, review(), history.length).status, 'succeeded');
});

test('a history from another run of a different shape diverges instead of crashing', async () => {
  const store = tempStore();
  const r = await run(defineWorkflow({ id: 'one', onFailure: 'failed', steps: [{ id: 'x', worker: echo }] }), null, { store });
  const result = replay(store.read(r.runId), review());
  assert.not.ok(result.ok);
});

test('replay emits the same XState inspection events as the live run (for --inspect)', async () => {
  const store = tempStore();
  const live: string[] = [];
  const tag = (e: any) => `${e.type}${e.event ? `:${e.event.type}` : ''}${e.snapshot ? `=${JSON.stringify(e.snapshot.value)}` : ''}`;
  const r = await run(review(), { n: 0 }, { store, clock: new VirtualClock(), inspect: (e) => live.push(tag(e)) });
  const replayed: string[] = [];
  replay(store.read(r.runId), review(), { inspect: (e) => replayed.push(tag(e)) });
  assert.ok(live.length > 10);
  assert.equal(replayed, live);
});

test.run();
