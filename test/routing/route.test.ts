import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineWorkflow, replay, resume, run, startRun, VirtualClock, type HistoryEvent } from '../../src/index.ts';
import { tempStore } from '../support/workers.ts';
import { parseHistory } from '../../machines/history/parse.ts';
import { HistoryEventSchema, INPUT_EVENTS } from '../../machines/history/events.ts';
import { candidate, cascadeRouter, fixedRouter } from './support.ts';

const ofType = (events: HistoryEvent[], type: string) => events.filter((e) => e.type === type) as any[];

function twoModels(calls: string[] = [], script = {}) {
  const small = candidate('small', calls, script, { price: { perCall: 0.001 }, latencyMs: 200 });
  const large = candidate('large', calls, script, { price: { perCall: 0.03 }, latencyMs: 900 });
  return defineWorkflow({ id: 'routed', onFailure: 'failed', steps: [{ id: 'summarise', candidates: [small, large], capability: 'summary' }] });
}

test('the router chooses the second candidate: route.decided (with probabilities) comes just before step.started of that worker, which runs', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const router = fixedRouter(1);
  const wf = twoModels(calls);
  const r = await run(wf, { text: 'hello' }, { store, router, clock: new VirtualClock(5_000) });
  assert.equal(r.status, 'succeeded');
  assert.equal(r.output, { by: 'large', text: 'hello' });
  assert.equal(calls, ['large:summarise#1']);
  const events = store.read(r.runId);
  const i = events.findIndex((e) => e.type === 'route.decided');
  const decided = events[i] as any;
  assert.equal(
    { step: decided.step, attempt: decided.attempt, worker: decided.worker, candidates: decided.candidates, capability: decided.capability, policy: decided.policy, version: decided.version, probabilities: decided.probabilities },
    { step: 'summarise', attempt: 1, worker: 'large', candidates: ['small', 'large'], capability: 'summary', policy: 'fixed', version: '7', probabilities: [0.25, 0.75] },
  );
  assert.equal(events[i + 1].type, 'step.started');
  assert.equal((events[i + 1] as any).worker, 'large');
  // The request carried what a policy needs.
  const req = router.requests[0];
  assert.equal([req.step, req.capability, req.attempt, req.position, req.steps, req.costSoFar, req.failedWorkers], ['summarise', 'summary', 1, 0, 1, 0, []]);
  assert.equal(req.candidates, [{ worker: 'small', price: { perCall: 0.001 }, latencyMs: 200 }, { worker: 'large', price: { perCall: 0.03 }, latencyMs: 900 }]);
  assert.equal(req.input, { text: 'hello' });
  assert.equal(r.cost, 0.03, "the chosen worker's perCall price is the attempt's cost");
});

test('replay reuses the recorded choice: no router, or a different one, gives no divergence and is never asked', async () => {
  const store = tempStore();
  const wf = twoModels();
  const r = await run(wf, { text: 'x' }, { store, router: fixedRouter(1) });
  const events = store.read(r.runId);
  const plain = replay(events, wf);
  assert.ok(plain.ok, plain.divergence?.message);
  assert.equal(plain.context.outputs.summarise, { by: 'large', text: 'x' });
  const other = fixedRouter(0, 'other');
  const withOther = replay(events, wf, { router: other });
  assert.ok(withOther.ok, withOther.divergence?.message);
  assert.equal(other.requests.length, 0);
  // Resuming a finished run asks no router either.
  const again = await resume(r.runId, { workflow: wf, store, router: other });
  assert.equal([again.status, again.resumed, other.requests.length], ['succeeded', false, 0]);
});

test('a history whose recorded choice is missing or names another worker diverges, naming the route.decided event', async () => {
  const store = tempStore();
  const wf = twoModels();
  const r = await run(wf, { text: 'x' }, { store, router: fixedRouter(1) });
  const events = store.read(r.runId);
  const at = events.findIndex((e) => e.type === 'route.decided');
  const changed = events.map((e, i) => (i === at ? { ...e, worker: 'small' } : e)) as HistoryEvent[];
  const d1 = replay(changed, wf);
  assert.not.ok(d1.ok);
  // Replay reuses the (tampered) recorded choice, so the recorded step.started no longer follows from it.
  assert.equal(d1.divergence!.message, `event #${at + 2}: expected step.started summarise worker "large", but the workflow now produces step.started summarise worker "small"`);
  const dropped = events.filter((_, i) => i !== at).map((e, i) => ({ ...e, seq: i + 1 })) as HistoryEvent[];
  const d2 = replay(dropped, wf);
  assert.not.ok(d2.ok);
  assert.match(d2.divergence!.message, new RegExp(`event #${at + 1}: expected step\\.started summarise .*route\\.decided summarise \\(attempt 1\\).*no recorded decision`));
});

test('resume after an interrupt reuses recorded choices (the in-flight attempt re-runs its recorded worker); only later attempts ask the router', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const small = candidate('small', calls, { 'b#1': 'sleep:10000' });
  const large = candidate('large', calls, { 'b#1': 'sleep:10000' });
  const wf = defineWorkflow({
    id: 'three',
    onFailure: 'failed',
    steps: ['a', 'b', 'c'].map((id) => ({ id, candidates: [small, large] })),
  });
  const first = fixedRouter(1);
  const clock = new VirtualClock(0);
  const handle = startRun(wf, { text: 't' }, { store, router: first, clock, onEvent: (e) => e.type === 'step.started' && e.step === 'b' && queueMicrotask(() => handle.interrupt('deploy')) });
  const interrupted = await handle.result;
  assert.equal(interrupted.status, 'interrupted');
  assert.equal(first.requests.map((q) => q.step), ['a', 'b']);
  calls.length = 0;
  const observed: unknown[][] = [];
  const second = Object.assign(fixedRouter(0, 'second'), { observe: (h: readonly unknown[]) => void observed.push([...h]) });
  const r = await resume(handle.runId, { workflow: wf, store, router: second, clock: new VirtualClock(1_000) });
  assert.equal(observed, [store.read(handle.runId)], 'observe sees the whole history, before and after the resume');
  assert.equal(r.status, 'succeeded');
  assert.equal(second.requests.map((q) => q.step), ['c'], 'only the attempt after the resume asks the router');
  assert.equal(calls, ['large:b#1', 'small:c#1'], 'b re-runs with its recorded worker, c with the new choice');
  const events = store.read(handle.runId);
  assert.equal(ofType(events, 'route.decided').map((e) => `${e.step}:${e.worker}:${e.policy}`), ['a:large:fixed', 'b:large:fixed', 'c:small:second']);
  const replayed = replay(events, wf);
  assert.ok(replayed.ok, replayed.divergence?.message);
});

test('resume of a history cut between route.decided and step.started reuses the recorded choice; cut before it, the router decides', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const wf = defineWorkflow({ id: 'cut', onFailure: 'failed', steps: [{ id: 'a', candidates: [candidate('small', calls), candidate('large', calls)] }] });
  const r = await run(wf, { text: 'x' }, { store, router: fixedRouter(1) });
  const file = store.pathOf(r.runId);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const at = lines.findIndex((l) => JSON.parse(l).type === 'route.decided');
  fs.writeFileSync(file, lines.slice(0, at + 1).join('\n') + '\n');
  calls.length = 0;
  const never = fixedRouter(0, 'never');
  const resumed = await resume(r.runId, { workflow: wf, store, router: never });
  assert.equal([resumed.status, never.requests.length, calls], ['succeeded', 0, ['large:a#1']]);
  assert.ok(replay(store.read(r.runId), wf).ok);

  const r2 = await run(wf, { text: 'y' }, { store, router: fixedRouter(1) });
  const file2 = store.pathOf(r2.runId);
  const lines2 = fs.readFileSync(file2, 'utf8').trimEnd().split('\n');
  fs.writeFileSync(file2, lines2.slice(0, lines2.findIndex((l) => JSON.parse(l).type === 'route.decided')).join('\n') + '\n');
  calls.length = 0;
  const now = fixedRouter(0, 'now');
  const resumed2 = await resume(r2.runId, { workflow: wf, store, router: now });
  assert.equal([resumed2.status, now.requests.length, calls], ['succeeded', 1, ['small:a#1']]);
  assert.ok(replay(store.read(r2.runId), wf).ok);
});

test('a cascade escalates through the retry policy: attempt 1 on the cheap worker fails, attempt 2 runs the next', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const cheap = candidate('cheap', calls, { 'answer#1': 'fail' }, { price: { perCall: 0.002 } });
  const strong = candidate('strong', calls, {}, { price: { perCall: 0.05 } });
  const wf = defineWorkflow({ id: 'cascade', onFailure: 'failed', steps: [{ id: 'answer', candidates: [cheap, strong], retry: { maxAttempts: 3, initialDelayMs: 100 } }] });
  const router = cascadeRouter();
  const r = await run(wf, { text: 'q' }, { store, router, clock: new VirtualClock(0) });
  assert.equal(r.status, 'succeeded');
  assert.equal(r.output, { by: 'strong', text: 'q' });
  assert.equal(calls, ['cheap:answer#1', 'strong:answer#2']);
  assert.equal(router.requests.map((q) => q.failedWorkers), [[], ['cheap']]);
  assert.equal(router.requests[1].costSoFar, 0.002, 'the failed call was charged by its price');
  assert.ok(Math.abs(r.cost - 0.052) < 1e-12, `cost ${r.cost}`);
  const events = store.read(r.runId);
  assert.equal(ofType(events, 'step.started').map((e) => `${e.worker}#${e.attempt}`), ['cheap#1', 'strong#2']);
  assert.equal(ofType(events, 'step.failed')[0].cost, 0.002);
  assert.ok(replay(events, wf).ok);
});

test('with no router the default cascade picks the cheapest by declared price, then escalates on failure', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const dear = candidate('dear', calls, {}, { price: { perCall: 0.05 } });
  const cheap = candidate('cheap', calls, { 'answer#1': 'fail' }, { price: { perCall: 0.002 } });
  const wf = defineWorkflow({ id: 'default-cascade', onFailure: 'failed', steps: [{ id: 'answer', candidates: [dear, cheap], retry: { maxAttempts: 2, initialDelayMs: 10 } }] });
  const r = await run(wf, { text: 'q' }, { store, clock: new VirtualClock(0) });
  assert.equal([r.status, calls], ['succeeded', ['cheap:answer#1', 'dear:answer#2']]);
  assert.equal(ofType(store.read(r.runId), 'route.decided').map((d) => `${d.worker}/${d.policy}`), ['cheap/cascade', 'dear/cascade']);
});

test('a cascade also escalates past a candidate that timed out', async () => {
  const calls: string[] = [];
  const slow = candidate('slow', calls, { 'answer#1': 'hang' });
  const fast = candidate('fast', calls);
  const wf = defineWorkflow({ id: 'timeouts', onFailure: 'failed', steps: [{ id: 'answer', candidates: [slow, fast], timeoutMs: 1_000, retry: { maxAttempts: 2, initialDelayMs: 10 } }] });
  const router = cascadeRouter();
  const store = tempStore();
  const r = await run(wf, { text: 'q' }, { store, router, clock: new VirtualClock(0) });
  assert.equal([r.status, calls], ['succeeded', ['slow:answer#1', 'fast:answer#2']]);
  assert.equal(router.requests.map((q) => q.failedWorkers), [[], ['slow']]);
  assert.ok(replay(store.read(r.runId), wf).ok);
});

test('a router choosing a worker that is not a candidate fails the step with a RouteError (no worker runs); replay reproduces it', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const wf = defineWorkflow({ id: 'bad-route', onFailure: 'failed', steps: [{ id: 'a', candidates: [candidate('small', calls), candidate('large', calls)], retry: { maxAttempts: 3 } }] });
  const rogue = { id: 'rogue', version: '2', route: () => ({ worker: 'huge', policy: 'rogue', version: '2' }) };
  const r = await run(wf, { text: 'x' }, { store, router: rogue });
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.name, 'RouteError');
  assert.equal(r.error?.message, 'step "a", attempt 1: router rogue@2 chose worker "huge", which is not a candidate (small, large)');
  assert.equal(calls, []);
  assert.equal(ofType(store.read(r.runId), 'step.started').length, 1, 'not retried: the same router would answer the same');
  assert.ok(replay(store.read(r.runId), wf).ok);

  const throwing = { id: 'broken', version: '1', route: () => { throw new Error('policy file is corrupt'); } };
  const r2 = await run(wf, { text: 'x' }, { store, router: throwing });
  assert.equal([r2.status, r2.error?.name], ['failed', 'RouteError']);
  assert.match(r2.error!.message, /router broken@1 failed: policy file is corrupt/);
  const decided = ofType(store.read(r2.runId), 'route.decided')[0];
  assert.equal([decided.worker, decided.error], ['', 'router broken@1 failed: policy file is corrupt']);
  assert.ok(replay(store.read(r2.runId), wf).ok);
});

test('route.decided is an input event that the history parser reads back', async () => {
  const store = tempStore();
  const r = await run(twoModels(), { text: 'x' }, { store, router: fixedRouter(0) });
  const { events } = parseHistory(fs.readFileSync(store.pathOf(r.runId), 'utf8'), 'run.jsonl');
  assert.equal(events.map((e) => e.type).slice(0, 4), ['run.started', 'transition', 'route.decided', 'step.started']);
  assert.ok(INPUT_EVENTS.has('route.decided'));
  assert.ok(HistoryEventSchema.safeParse(events[2]).success);
});

test('without a router the hub cascades: the cheapest (here, unpriced: the first) candidate runs first', async () => {
  const store = tempStore();
  const calls: string[] = [];
  const wf = defineWorkflow({ id: 'no-router', onFailure: 'failed', steps: [{ id: 'a', candidates: [candidate('small', calls), candidate('large', calls)] }] });
  const r = await run(wf, { text: 'x' }, { store });
  assert.equal([r.status, calls], ['succeeded', ['small:a#1']]);
  const d = ofType(store.read(r.runId), 'route.decided')[0];
  assert.equal([d.worker, d.policy, d.version, 'capability' in d], ['small', 'cascade', '1', false]);
});

test('steps without candidates record no route.decided and never ask the router', async () => {
  const store = tempStore();
  const router = fixedRouter(1);
  const wf = defineWorkflow({ id: 'plain', onFailure: 'failed', steps: [{ id: 'a', worker: candidate('solo') }] });
  const r = await run(wf, { text: 'x' }, { store, router });
  assert.equal(r.status, 'succeeded');
  assert.equal(ofType(store.read(r.runId), 'route.decided'), []);
  assert.equal(router.requests.length, 0);
});

test('DAG form: routed steps run in parallel, and members of a wide group are routed too (route.decided carries the group)', async () => {
  const store = tempStore();
  const small = candidate('small');
  const large = candidate('large');
  const ids = Array.from({ length: 17 }, (_, i) => `m${i}`);
  const wf = defineWorkflow({ id: 'wide', steps: [{ id: 'root', candidates: [small, large], dependsOn: [] }, ...ids.map((id) => ({ id, candidates: [small, large], dependsOn: ['root'] }))] });
  const router = fixedRouter(1);
  const r = await run(wf, { text: 'x' }, { store, router });
  assert.equal(r.status, 'succeeded');
  const decided = ofType(store.read(r.runId), 'route.decided');
  assert.equal(decided.length, 18);
  assert.ok(decided.slice(1).every((d) => d.group === 'group_m0' && d.worker === 'large'));
  assert.equal(router.requests.find((q) => q.step === 'm3')!.position, 4);
  assert.ok(replay(store.read(r.runId), wf).ok);
});

test.run();
