import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineWorkflow, resume, replay, run, VirtualClock } from '../../src/index.ts';
import { echo, scripted, tempStore } from '../support/workers.ts';

/** Cuts a finished history right after the first event matching `cut`, as if the process had died there. */
function crashAfter(file: string, cut: (e: any) => boolean) {
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const at = lines.findIndex((l) => cut(JSON.parse(l)));
  fs.writeFileSync(file, lines.slice(0, at + 1).join('\n') + '\n');
  return JSON.parse(lines[at]);
}

test('a backoff timer continues with its remaining time after resume', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const wf = defineWorkflow({ id: 'backoff', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: scripted({ b: ['fail', 'ok'] }, calls), retry: { maxAttempts: 2, initialDelayMs: 10_000 } }] });
  const first = await run(wf, { n: 0 }, { store, clock: new VirtualClock(1_000) });
  const timer = crashAfter(store.pathOf(first.runId), (e) => e.type === 'timer.set');
  assert.equal(timer.delayMs, 10_000);
  calls.length = 0;
  const clock = new VirtualClock(timer.t + 4_000); // the process comes back 4 s later
  const r = await resume(first.runId, { workflow: wf, store, clock });
  assert.equal(r.status, 'succeeded');
  assert.equal(calls, ['b#2'], 'only the retry runs; a and b#1 are not repeated');
  const events = store.read(first.runId);
  const retryStart = events.find((e) => e.type === 'step.started' && e.step === 'b' && e.attempt === 2)!;
  assert.equal(retryStart.t, timer.fireAt, 'the retry starts when the original timer was due, not 10 s after resume');
  assert.ok(replay(events, wf).ok);
});

test('an approval wait keeps its deadline across a resume, and an approval can be given after it', async () => {
  const store = tempStore();
  const wf = defineWorkflow({ id: 'appr', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'ok', type: 'approval', timeoutMs: 60_000 }, { id: 'b', worker: echo }] });
  const first = await run(wf, { n: 0 }, { store, clock: new VirtualClock(0) });
  const timer = crashAfter(store.pathOf(first.runId), (e) => e.type === 'timer.set');
  const clock = new VirtualClock(timer.t + 59_000);
  const r = await resume(first.runId, { workflow: wf, store, clock });
  assert.equal(r.error?.name, 'ApprovalTimeout');
  assert.equal(clock.now(), timer.fireAt);
});

test('an in-flight attempt runs again on resume (at-least-once); completed steps do not', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const wf = defineWorkflow({ id: 'inflight', onFailure: 'failed', steps: ['a', 'b', 'c'].map((id) => ({ id, worker: scripted({}, calls) })) });
  const first = await run(wf, null, { store });
  crashAfter(store.pathOf(first.runId), (e) => e.type === 'step.started' && e.step === 'b');
  calls.length = 0;
  const r = await resume(first.runId, { workflow: wf, store });
  assert.equal(r.status, 'succeeded');
  assert.equal(calls, ['b#1', 'c#1']);
  const resumed = store.read(first.runId).find((e) => e.type === 'run.resumed') as any;
  assert.equal(resumed.inFlight, ['b']);
});

test('resuming with a changed workflow refuses with the divergence', async () => {
  const store = tempStore();
  const wf = defineWorkflow({ id: 'x', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: echo }] });
  const first = await run(wf, null, { store });
  crashAfter(store.pathOf(first.runId), (e) => e.type === 'step.started' && e.step === 'b');
  const changed = defineWorkflow({ id: 'x', onFailure: 'failed', steps: [{ id: 'b', worker: echo }, { id: 'a', worker: echo }] });
  try {
    await resume(first.runId, { workflow: changed, store });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /cannot resume: event #2/);
  }
});

test.run();
