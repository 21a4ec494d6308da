import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { historyStateAt } from '../../src/ui/state.ts';
import { isCancellable, waitingApprovals } from '../../src/ui/run-state.ts';
import { isLoopbackHost, tokenMatches } from '../../src/ui/auth.ts';
import { finishedShopRun, HistoryBuilder, waitingShopRun } from './histories.ts';

test('historyStateAt: active leaves from the last transition, outputs so far, status', () => {
  const h = finishedShopRun('r1');
  const waiting = h.find((e) => e.type === 'transition' && e.to[0] === 'fetch.waiting')!.seq;
  const s = historyStateAt(h, waiting);
  assert.equal(s.active, ['fetch.waiting']);
  assert.equal((s.context as any).outputs, {});
  assert.is(s.status, 'running');
  assert.is(s.via, 'history');
  const end = historyStateAt(h, 10_000);
  assert.is(end.seq, h.length);
  assert.equal(end.active, ['succeeded']);
  assert.is(end.status, 'succeeded');
  assert.equal(Object.keys((end.context as any).outputs), ['fetch', 'summarize', 'publish']);
  assert.equal(historyStateAt(h, 0).active, []);
});

test('waitingApprovals: an approval timer set and no decision since; none once decided, timed out or finished', () => {
  const waiting = waitingShopRun('r1');
  assert.equal(waitingApprovals(waiting), ['approve']);
  assert.ok(isCancellable(waiting));
  const decided = finishedShopRun('r1');
  const approvedAt = decided.findIndex((e) => e.type === 'approval.received');
  assert.equal(waitingApprovals(decided.slice(0, approvedAt + 1)), [], 'decided, run still going');
  assert.equal(waitingApprovals(decided), []);
  assert.not.ok(isCancellable(decided));
  const timedOut = [...waiting, { seq: waiting.length + 1, t: waiting.at(-1)!.t + 60_000, type: 'timer.fired', id: 'approval_approve' } as const];
  assert.equal(waitingApprovals(timedOut), [], 'timed out');
  const cancelled = [...waiting, { seq: waiting.length + 1, t: waiting.at(-1)!.t + 5, type: 'run.cancelled' } as const];
  assert.equal(waitingApprovals(cancelled), []);
  assert.not.ok(isCancellable(cancelled));
  // An approval without a timeout sets no timer: its `awaiting` state says it waits.
  const h = new HistoryBuilder();
  h.push({ type: 'run.started', runId: 'r2', workflowId: 'shop', workflowHash: 'x', input: {} });
  h.to('xstate.init', ['review.awaiting']);
  assert.equal(waitingApprovals(h.events), ['review']);
  h.push({ type: 'approval.received', step: 'review', approved: false, by: 'bo' });
  assert.equal(waitingApprovals(h.events), []);
});

test('loopback detection and token comparison', () => {
  for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '192.168.1.4', 'example.com', '128.0.0.1']) assert.not.ok(isLoopbackHost(h), h);
  assert.ok(tokenMatches('secret-123', 'secret-123'));
  assert.not.ok(tokenMatches('secret-123', 'secret-124'));
  assert.not.ok(tokenMatches('secret-123', 'secret'));
  assert.not.ok(tokenMatches('secret-123', undefined));
});

test.run();
