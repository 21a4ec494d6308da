import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../src/clock.ts';
import { Semaphore } from '../../src/runtime/semaphore.ts';
import { activePaths, samePaths } from '../../src/engine/active.ts';
import { deepEqual } from '../../src/util/deep-equal.ts';
import { backoffDelay, RetryPolicySchema } from '../../machines/retry.ts';
import { buildTimeline } from '../../src/viz/timeline.ts';
import { toErrorInfo } from '../../src/engine/errors.ts';
import { GroupRuns } from '../../src/engine/groups.ts';

test('VirtualClock.advance fires due timers in time order, skips cleared ones', () => {
  const clock = new VirtualClock(100, false);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b'), 20);
  clock.setTimeout(() => fired.push('a'), 10);
  const c = clock.setTimeout(() => fired.push('c'), 15);
  clock.clearTimeout(c);
  clock.advance(15);
  assert.equal(fired, ['a']);
  assert.equal(clock.now(), 115);
  clock.advance(100);
  assert.equal(fired, ['a', 'b']);
});

test('VirtualClock auto-advances when idle', async () => {
  const clock = new VirtualClock(0);
  const at = await new Promise<number>((resolve) => clock.setTimeout(() => resolve(clock.now()), 5_000));
  assert.equal(at, 5_000);
});

test('Semaphore hands slots over in FIFO order', async () => {
  const s = new Semaphore(1);
  const order: number[] = [];
  await s.acquire();
  const waiters = [1, 2, 3].map((i) => s.acquire().then(() => order.push(i)));
  s.release();
  await Promise.resolve();
  s.release();
  await Promise.resolve();
  s.release();
  await Promise.all(waiters);
  assert.equal(order, [1, 2, 3]);
});

test('activePaths flattens nested and parallel state values', () => {
  assert.equal(activePaths('idle'), ['idle']);
  assert.equal(activePaths({ dag: { a: 'done', b: { x: 'running' } } }), ['dag.a.done', 'dag.b.x.running']);
  assert.ok(samePaths(['a'], ['a']));
  assert.not.ok(samePaths(['a'], ['a', 'b']));
});

test('deepEqual ignores key order and distinguishes arrays from objects', () => {
  assert.ok(deepEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }));
  assert.not.ok(deepEqual([1], { 0: 1 }));
  assert.not.ok(deepEqual({ a: 1 }, { a: 1, b: undefined }));
});

test('backoff: exponential, capped, jitter deterministic per seed and bounded to +/-50%', () => {
  const p = RetryPolicySchema.parse({ initialDelayMs: 100, backoffFactor: 3, maxDelayMs: 1000 });
  assert.equal([1, 2, 3, 4].map((a) => backoffDelay(p, a, 0)), [100, 300, 900, 1000]);
  const j = RetryPolicySchema.parse({ initialDelayMs: 1000, jitter: true });
  const d = backoffDelay(j, 1, 12345);
  assert.equal(d, backoffDelay(j, 1, 12345));
  assert.ok(d >= 500 && d <= 1500);
  const spread = new Set(Array.from({ length: 50 }, (_, s) => backoffDelay(j, 1, s)));
  assert.ok(spread.size > 40, 'different runs get different jitter');
});

test('toErrorInfo keeps name and message; errors are retryable unless they say not', () => {
  assert.equal(toErrorInfo(new TypeError('x')), { name: 'TypeError', message: 'x', retryable: true });
  assert.equal(toErrorInfo(Object.assign(new Error('no'), { retryable: false })).retryable, false);
  assert.equal(toErrorInfo('plain').message, 'plain');
});

test('buildTimeline folds attempts, costs and waits', () => {
  const tl = buildTimeline([
    { seq: 1, t: 0, type: 'run.started', runId: 'r', workflowId: 'w', workflowHash: 'h', input: null },
    { seq: 2, t: 1, type: 'step.started', step: 'a', worker: 'x', attempt: 1, input: null },
    { seq: 3, t: 3, type: 'step.failed', step: 'a', attempt: 1, error: { name: 'E', message: 'm', retryable: true }, durationMs: 2 },
    { seq: 4, t: 3, type: 'timer.set', id: 't1', delayMs: 100, fireAt: 103, step: 'a', purpose: 'backoff' },
    { seq: 5, t: 103, type: 'timer.fired', id: 't1' },
    { seq: 6, t: 103, type: 'step.started', step: 'a', worker: 'x', attempt: 2, input: null },
    { seq: 7, t: 110, type: 'step.succeeded', step: 'a', attempt: 2, output: 1, durationMs: 7, cost: 0.5 },
    { seq: 8, t: 110, type: 'run.finished', status: 'succeeded', cost: 0.5, durationMs: 110 },
  ] as any);
  assert.equal(tl.rows[0].attempts.map((a) => a.status), ['failed', 'succeeded']);
  assert.equal(tl.cost, 0.5);
  assert.equal(tl.rows[0].waits[0].outcome, 'fired');
  assert.equal(tl.status, 'succeeded');
});

test('GroupRuns: members complete the group; a failing member retries by its policy, then fails it', () => {
  const policy = RetryPolicySchema.parse({ maxAttempts: 2, initialDelayMs: 100, nonRetryable: ['Fatal'] });
  const g = new GroupRuns(new Map([['g', { id: 'g', members: ['a', 'b'], dependsOn: [] }]]), () => policy, 1);
  assert.equal(g.start('g'), ['a', 'b']);
  assert.equal([g.nextAttempt('g', 'a'), g.nextAttempt('g', 'a')], [1, 2]);
  const retry = g.failed('g', 'a', 1, { name: 'E', message: 'x', retryable: true });
  assert.equal(retry.kind, 'retry');
  assert.equal((retry as any).delayMs, 100);
  assert.equal(g.failed('g', 'a', 2, { name: 'E', message: 'x', retryable: true }).kind, 'fail');
  assert.equal(g.failed('g', 'a', 1, { name: 'Fatal', message: 'x', retryable: true }).kind, 'fail');
  assert.not.ok(g.succeeded('g', 'a'));
  assert.ok(g.succeeded('g', 'b'));
  assert.not.ok(g.has('g'));
});

test.run();
