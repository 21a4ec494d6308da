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

/**
 * A `shop` run that crashes while `publish` runs (its last event is `step.started publish` at
 * +2.3 s), is resumed 60 s later with `publish` in flight, and then finishes; the approval
 * before it came from ana.
 */
function crashedShopRun() {
  const h = new HistoryBuilder();
  h.push({ type: 'run.started', runId: 'r3', workflowId: 'shop', workflowHash: 'x', input: {} });
  h.to('xstate.init', ['fetch.running']);
  h.attempt('fetch', 1, true, 500, { cost: 0.01 });
  h.to('done.fetch', ['approve.awaiting']);
  h.push({ type: 'timer.set', id: 'approval_approve', delayMs: 60000, fireAt: h.t + 60000, step: 'approve', purpose: 'approval' });
  h.push({ type: 'approval.received', step: 'approve', approved: true, by: 'ana', comment: 'ship it' }, 1500);
  h.push({ type: 'timer.cancelled', id: 'approval_approve' });
  h.to('approve.approve', ['publish.running']);
  h.push({ type: 'step.started', step: 'publish', worker: 'publish-worker', attempt: 1, input: {} }, 300);
  const lastBeforeCrash = h.events[h.events.length - 1];
  h.push({ type: 'run.resumed', inFlight: ['publish'], timers: [] }, 60_000);
  const resumed = h.events[h.events.length - 1];
  h.push({ type: 'step.succeeded', step: 'publish', attempt: 1, output: { url: 'u' }, durationMs: 400, cost: 0.001 }, 400);
  h.to('done.publish', ['succeeded']);
  h.push({ type: 'run.finished', status: 'succeeded', final: 'succeeded', cost: 0.011, durationMs: h.t - h.events[0].t });
  return { events: h.events, lastBeforeCrash, resumed };
}

test('timeline model: a crash is the gap before run.resumed; the interrupted attempt ends at the crash, the rerun starts at the resume', () => {
  const { events, lastBeforeCrash, resumed } = crashedShopRun();
  const t0 = events[0].t;
  const tl = buildTimeline(events);
  assert.is(tl.crashes.length, 1);
  const crash = tl.crashes[0];
  assert.equal(
    { start: crash.start, end: crash.end, lastSeq: crash.lastSeq, resumeSeq: crash.resumeSeq, inFlight: crash.inFlight },
    { start: lastBeforeCrash.t - t0, end: resumed.t - t0, lastSeq: lastBeforeCrash.seq, resumeSeq: resumed.seq, inFlight: ['publish'] },
  );
  assert.is(crash.end - crash.start, 60_000);
  const publish = tl.rows.find((r) => r.step === 'publish')!;
  assert.equal(publish.attempts.map((a) => a.status), ['interrupted', 'succeeded']);
  const [dead, rerun] = publish.attempts;
  assert.is(dead.end, crash.start, 'the interrupted attempt ends at the crash, not at the resume or later');
  assert.is(dead.durationMs, undefined);
  assert.is(rerun.start, crash.end, 'the rerun starts at the resume');
  assert.is(rerun.end, crash.end + 400);
  assert.is(rerun.durationMs, 400);
  assert.is(publish.durationMs, 400);
  assert.is(publish.status, 'succeeded');
});

test('timeline model: approvals keep the decision, who and when', () => {
  const { events } = crashedShopRun();
  const tl = buildTimeline(events);
  const e = events.find((x) => x.type === 'approval.received')!;
  assert.equal(tl.approvals, [{ step: 'approve', approved: true, by: 'ana', comment: 'ship it', at: e.t - events[0].t, t: e.t, seq: e.seq }]);
  assert.equal(buildTimeline(finishedShopRun('r1')).crashes, [], 'no resume, no crash');
});

test('timeline model: an attempt running at the crash that is not run again stays ended at the crash', () => {
  const h = new HistoryBuilder();
  h.push({ type: 'run.started', runId: 'r4', workflowId: 'shop', workflowHash: 'x', input: {} });
  h.push({ type: 'step.started', step: 'fetch', worker: 'w', attempt: 1, input: {} }, 10);
  h.push({ type: 'run.resumed', inFlight: [], timers: [] }, 5000);
  h.push({ type: 'run.cancelled' }, 10);
  const tl = buildTimeline(h.events);
  assert.equal(tl.rows[0].attempts.map((a) => [a.status, a.start, a.end]), [['interrupted', 10, 10]]);
  assert.equal([tl.crashes[0].start, tl.crashes[0].end], [10, 5010]);
});

test('timeline model: a process stopped on purpose (run.interrupted) ends its attempts there; the gap is marked stopped', () => {
  const h = new HistoryBuilder();
  h.push({ type: 'run.started', runId: 'r5', workflowId: 'shop', workflowHash: 'x', input: {} });
  h.push({ type: 'step.started', step: 'fetch', worker: 'w', attempt: 1, input: {} }, 10);
  h.push({ type: 'run.interrupted', reason: 'SIGTERM', inFlight: ['fetch'] } as any, 90);
  const stoppedOnly = buildTimeline(h.events);
  assert.equal(stoppedOnly.rows[0].attempts.map((a) => [a.status, a.end]), [['interrupted', 100]], 'not drawn on to now while nobody runs it');
  h.push({ type: 'run.resumed', inFlight: ['fetch'], timers: [] }, 3000);
  h.push({ type: 'step.succeeded', step: 'fetch', attempt: 1, output: {}, durationMs: 50 }, 50);
  const tl = buildTimeline(h.events);
  assert.equal(tl.rows[0].attempts.map((a) => [a.status, a.start, a.end]), [['interrupted', 10, 100], ['succeeded', 3100, 3150]]);
  assert.equal({ ...tl.crashes[0], timers: undefined }, { start: 100, end: 3100, lastSeq: 3, resumeSeq: 4, inFlight: ['fetch'], timers: undefined, stopped: true, reason: 'SIGTERM' });
  const svg = renderTimelineSvg(h.events);
  assert.match(svg, /<g class="crash stopped"/);
  assert.match(svg, /stopped ■<\/text>/);
  assert.match(svg, /— 1 stop<\/text>/);
});

test('timeline svg: crash band, resume line and approval marks; the interrupted bar stops at the band', () => {
  const { events, lastBeforeCrash, resumed } = crashedShopRun();
  const svg = renderTimelineSvg(events);
  const crash = svg.match(/<g class="crash"[^>]*>[\s\S]*?<\/g>/)![0];
  assert.ok(crash.includes(`data-last-seq="${lastBeforeCrash.seq}"`) && crash.includes(`data-resume-seq="${resumed.seq}"`), crash);
  assert.match(crash, /crash ✕<\/text>/);
  const band = crash.match(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)"/)!;
  const bandStart = Number(band[1]);
  const bandEnd = bandStart + Number(band[2]);
  assert.match(svg, new RegExp(`<g class="resume" data-seq="${resumed.seq}">`));
  const resumeX = Number(svg.match(/<g class="resume"[^>]*>.*\n<line x1="([\d.]+)"/)![1]);
  assert.ok(Math.abs(resumeX - bandEnd) < 0.2, `resume line at the end of the band (${resumeX} vs ${bandEnd})`);
  const dead = svg.match(/<rect class="attempt interrupted" data-attempt="1" data-seq="\d+" x="([\d.]+)" y="\d+" width="([\d.]+)"/)!;
  const deadEnd = Number(dead[1]) + Number(dead[2]);
  assert.ok(deadEnd <= bandStart + 2.01, `the interrupted attempt ends at the crash (${deadEnd} vs ${bandStart})`);
  assert.ok(svg.includes('class="interrupt"'), 'a cross marks where it died');
  const rerun = svg.match(/<rect class="attempt succeeded" data-attempt="1" data-seq="\d+" x="([\d.]+)"/g)!.at(-1)!;
  assert.ok(Number(rerun.match(/x="([\d.]+)"$/)![1]) >= resumeX - 0.1, 'the rerun starts at the resume');
  const approval = svg.match(/<g class="approval approved"[^>]*>[\s\S]*?<\/g>/)![0];
  assert.ok(approval.includes('data-by="ana"'), approval);
  const at = events.find((x) => x.type === 'approval.received')!.t;
  const clock = new Date(at).toISOString().slice(11, 19);
  assert.ok(approval.includes(`✓ approved by ana · ${clock}Z`), approval);
  assert.ok(approval.includes('ship it'), 'the comment is in the tooltip');
  assert.match(svg, /1 crash<\/text>|— 1 crash/);
});

test('formatDuration', () => {
  assert.is(formatDuration(850), '850ms');
  assert.is(formatDuration(1234), '1.23s');
  assert.is(formatDuration(65_000), '1m 05s');
  assert.is(formatDuration(2 * 3_600_000 + 5 * 60_000), '2h 05m');
  assert.is(formatDuration(90 * 3_600_000), '3d 18h');
});

test.run();
