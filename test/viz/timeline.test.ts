import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildTimeline, renderTimelineSvg, formatDuration } from '../../src/viz/timeline.ts';
import { finishedShopRun, HistoryBuilder } from '../ui/histories.ts';

test('timeline model: rows per step in order, attempts with status, waits, durations, costs', () => {
  const tl = buildTimeline(finishedShopRun('r1'));
  assert.equal(tl.rows.map((r) => r.step), ['fetch', 'summarize', 'approve', 'publish']);
  const fetch = tl.rows[0];
  assert.equal(fetch.attempts.map((a) => a.status), ['failed', 'succeeded']);
  assert.equal(fetch.attempts.map((a) => a.durationMs), [300, 250]);
  assert.is(fetch.waits.length, 1);
  assert.is(fetch.waits[0].kind, 'backoff');
  assert.is(fetch.waits[0].end! - fetch.waits[0].start, 200);
  assert.is(fetch.cost, 0.002);
  assert.is(tl.rows[2].waits[0].kind, 'approval');
  assert.is(tl.rows[2].waits[0].outcome, 'received');
  assert.is(tl.status, 'succeeded');
  assert.is(tl.cost, 0.033);
  assert.is(tl.spanMs, 300 + 200 + 250 + 700 + 900 + 400);
  assert.equal(tl.rows[1].attempts[0].output, { summary: 'hi' });
});

test('timeline model: a running attempt stays open; cost is summed while running', () => {
  const h = new HistoryBuilder();
  h.push({ type: 'run.started', runId: 'r2', workflowId: 'shop', workflowHash: 'x', input: {} });
  h.attempt('fetch', 1, true, 100, { cost: 1.5 });
  h.to('step.succeeded', ['summarize.running']);
  h.push({ type: 'step.started', step: 'summarize', worker: 'w', attempt: 1, input: {} }, 10);
  const tl = buildTimeline(h.events);
  assert.is(tl.finished, false);
  assert.is(tl.status, 'running');
  assert.is(tl.rows[1].attempts[0].status, 'running');
  assert.is(tl.rows[1].attempts[0].end, undefined);
  assert.is(tl.cost, 1.5);
});

test('timeline svg: one row per step, one bar per attempt, failed and succeeded styled apart', () => {
  const svg = renderTimelineSvg(finishedShopRun('r1'));
  assert.is((svg.match(/<g class="row"/g) ?? []).length, 4);
  assert.is((svg.match(/class="attempt /g) ?? []).length, 4);
  assert.is((svg.match(/class="attempt failed"/g) ?? []).length, 1);
  assert.ok(svg.includes('class="wait backoff"'));
  assert.ok(svg.includes('class="wait approval"'));
  assert.ok(svg.includes('2 att · 550ms · 0.002'));
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.not.match(svg, /href=|@import|url\(http/);
});

test('formatDuration', () => {
  assert.is(formatDuration(850), '850ms');
  assert.is(formatDuration(1234), '1.23s');
  assert.is(formatDuration(65_000), '1m 05s');
});

test.run();
