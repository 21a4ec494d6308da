import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createJsonlStore, defineWorker, defineWorkflow, run, type Router } from '../../src/index.ts';
import { createUiApp } from '../../src/ui/app.ts';
import { percentile } from '../../src/ui/routing.ts';
import { WorkflowResolver } from '../../src/ui/workflows.ts';
import { finishedShopRun, routedFleet, routedRun, writeHistory } from './histories.ts';

/**
 * GET /api/routing over hand-written histories in a temporary store: per capability and
 * candidate, attempts, success rate, mean cost and latency percentiles; the choices over time;
 * the run limit; and histories that are damaged.
 */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oa-ui-routing-'));
const LOOPBACK = { host: '127.0.0.1:4400' };
const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const HOUR = 3_600_000;

function appOver(root: string) {
  const errors: unknown[] = [];
  const app = createUiApp({ store: createJsonlStore(root), resolver: new WorkflowResolver(), planner: async () => ({}) as any, onError: (e) => errors.push(e) });
  const get = async (url: string) => {
    const res = await app.request(url, { headers: LOOPBACK });
    const text = await res.text();
    assert.is(res.status, 200, `${url}: ${text.slice(0, 300)} ${errors.map(String).join('; ')}`);
    return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  };
  return { app, get, errors };
}

/** Three routed runs with known numbers, and one `shop` run without routing. */
function knownStore(): string {
  const root = tmp();
  writeHistory(root, routedRun('20261120T080000Z-a', T0, [
    { step: 'answer', candidates: ['small-llm', 'large-llm', 'local-model'], attempts: [
      { worker: 'small-llm', ok: false, ms: 100 },
      { worker: 'large-llm', ok: true, ms: 1000, cost: 0.03 },
    ] },
  ]));
  writeHistory(root, routedRun('20261120T090000Z-b', T0 + HOUR, [
    { step: 'answer', candidates: ['small-llm', 'large-llm', 'local-model'], attempts: [{ worker: 'small-llm', ok: true, ms: 200, cost: 0.002 }] },
  ]));
  writeHistory(root, routedRun('20261120T100000Z-c', T0 + 2 * HOUR, [
    { step: 'extract', capability: 'parse', candidates: ['regex-tool', 'small-llm'], attempts: [{ worker: 'regex-tool', ok: true, ms: 10, cost: 0, version: '2' }] },
    { step: 'answer', candidates: ['small-llm', 'large-llm', 'local-model'], attempts: [{ worker: 'small-llm', ok: true, ms: 400, cost: 0.004, version: '2' }] },
  ]));
  writeHistory(root, finishedShopRun('20261120T110000Z-shop', T0 + 3 * HOUR));
  return root;
}

test('numbers per candidate: attempts, success rate, mean cost, p50/p90 latency, share', async () => {
  const { get } = appOver(knownStore());
  const r = await get('/api/routing');
  assert.equal(r.runs.read, 4);
  assert.equal(r.runs.routed, 3);
  assert.is(r.runs.truncated, false);
  assert.is(r.runs.damagedCount, 0);
  assert.is(r.limit, 500);
  assert.equal(r.workflows, [{ id: 'answer-desk', routedRuns: 3 }]);
  assert.equal(r.capabilities.map((c: any) => `${c.workflowId}/${c.capability}`), ['answer-desk/answer', 'answer-desk/parse']);
  const answer = r.capabilities[0];
  assert.is(answer.decisions, 4);
  assert.is(answer.runs, 3);
  assert.equal(answer.steps, ['answer']);
  const [small, large, local] = answer.candidates;
  assert.equal(small.worker, 'small-llm');
  assert.equal([small.attempts, small.succeeded, small.failed, small.unfinished], [3, 2, 1, 0]);
  assert.ok(Math.abs(small.successRate - 2 / 3) < 1e-12);
  assert.ok(Math.abs(small.meanCost - 0.003) < 1e-12, `mean cost of the two reported costs: ${small.meanCost}`);
  assert.is(small.p50LatencyMs, 200);
  assert.is(small.p90LatencyMs, 400);
  assert.is(small.share, 0.75);
  assert.equal([large.worker, large.attempts, large.successRate, large.meanCost, large.p50LatencyMs], ['large-llm', 1, 1, 0.03, 1000]);
  assert.equal([local.worker, local.attempts, local.successRate, local.meanCost, local.p50LatencyMs], ['local-model', 0, null, null, null], 'a candidate never chosen is listed, with no data');
  assert.equal(answer.policies.map((p: any) => [p.policy, p.version, p.decisions]), [['bandit', '1', 3], ['bandit', '2', 1]]);
  assert.equal(answer.choices.map((c: any) => [c.runId, c.attempt, c.worker, c.version, c.outcome]), [
    ['20261120T080000Z-a', 1, 'small-llm', '1', 'failed'],
    ['20261120T080000Z-a', 2, 'large-llm', '1', 'succeeded'],
    ['20261120T090000Z-b', 1, 'small-llm', '1', 'succeeded'],
    ['20261120T100000Z-c', 1, 'small-llm', '2', 'succeeded'],
  ]);
  assert.is(answer.choices[2].runStartedAt, T0 + HOUR);
  const parse = r.capabilities[1];
  assert.equal(parse.steps, ['extract'], 'the capability the event names groups its steps');
  assert.equal(parse.candidates.map((c: any) => [c.worker, c.attempts, c.meanCost]), [['regex-tool', 1, 0], ['small-llm', 0, null]]);
  assert.match(r.note, /^Read all 4 runs: 3 with routing decisions\.$/);
});

test('?workflow= keeps that workflow\'s runs only', async () => {
  const { get } = appOver(knownStore());
  const desk = await get('/api/routing?workflow=answer-desk');
  assert.is(desk.workflow, 'answer-desk');
  assert.is(desk.runs.read, 3);
  const shop = await get('/api/routing?workflow=shop');
  assert.equal([shop.runs.read, shop.runs.routed, shop.capabilities.length], [1, 0, 0]);
  const none = await get('/api/routing?workflow=nope');
  assert.equal([none.runs.read, none.capabilities.length], [0, 0]);
});

test('?limit=N reads only the newest N runs and says so', async () => {
  const root = tmp();
  const fleet = routedFleet(10);
  for (const events of fleet) writeHistory(root, events);
  writeHistory(root, finishedShopRun('20261121T000000Z-shop', T0 + 40 * HOUR));
  const { get } = appOver(root);
  const r = await get('/api/routing?workflow=answer-desk&limit=4');
  assert.is(r.limit, 4);
  assert.is(r.runs.read, 4);
  assert.is(r.runs.truncated, true);
  const newest = fleet.slice(-4).map((e) => (e[0] as any).runId);
  const seen = [...new Set(r.capabilities.flatMap((c: any) => c.choices.map((x: any) => x.runId)))].sort();
  assert.equal(seen, newest.sort(), 'only the newest four runs of the workflow count');
  assert.is(r.runs.oldestAt, T0 + 6 * HOUR);
  assert.match(r.note, /the newest 4 runs of workflow answer-desk \(limit 4; older runs were not read\)/);
  // Without the workflow the shop run is the newest, so it takes one of the four.
  assert.equal((await get('/api/routing?limit=4')).runs.routed, 3);
  const all = await get('/api/routing?limit=10');
  assert.equal([all.runs.read, all.runs.truncated], [10, true]);
  assert.equal([(await get('/api/routing?limit=11')).runs.truncated, (await get('/api/routing?limit=0')).limit, (await get('/api/routing?limit=junk')).limit, (await get('/api/routing?limit=99999')).limit], [false, 1, 500, 5000]);
});

test('an attempt without an outcome is unfinished, and a decision recorded again is counted once', async () => {
  const root = tmp();
  const pending = routedRun('20261120T080000Z-p', T0, [{ step: 'answer', candidates: ['a', 'b'], attempts: [{ worker: 'b', ok: 'pending', ms: 0 }] }]);
  writeHistory(root, pending);
  // A resume that decided attempt 1 anew (same step and attempt, the first never ended) then succeeded.
  const redecided = routedRun('20261120T090000Z-r', T0 + HOUR, [{ step: 'answer', candidates: ['a', 'b'], attempts: [{ worker: 'a', ok: true, ms: 50, cost: 1 }] }]);
  const decided = redecided.findIndex((e: any) => e.type === 'route.decided');
  const again = redecided.slice(0, decided + 2).concat([{ ...redecided[decided], worker: 'b' } as any], redecided.slice(decided + 1)).map((e, i) => ({ ...e, seq: i + 1 }));
  writeHistory(root, again as any);
  const { get } = appOver(root);
  const cap = (await get('/api/routing')).capabilities[0];
  assert.is(cap.decisions, 2);
  const b = cap.candidates.find((c: any) => c.worker === 'b');
  assert.equal([b.attempts, b.unfinished, b.successRate, b.p50LatencyMs], [2, 1, 1, 50], 'the pending one is unfinished, the re-decided one took the outcome');
  assert.equal(cap.candidates.find((c: any) => c.worker === 'a').attempts, 0, 'the superseded decision is not counted');
});

test('a router failure (`error`, no worker) counts for no candidate, and the note says so', async () => {
  const root = tmp();
  const events = routedRun('20261120T080000Z-e', T0, [{ step: 'answer', candidates: ['a', 'b'], attempts: [{ worker: 'a', ok: false, ms: 3 }, { worker: 'b', ok: true, ms: 4, cost: 0.5 }] }]);
  const first = events.find((e: any) => e.type === 'route.decided') as any;
  Object.assign(first, { worker: '', error: 'policy file from another catalog' });
  writeHistory(root, events);
  const { get } = appOver(root);
  const r = await get('/api/routing');
  assert.is(r.runs.routerErrors, 1);
  assert.equal(r.capabilities[0].candidates.map((c: any) => [c.worker, c.attempts, c.failed]), [['a', 0, 0], ['b', 1, 0]]);
  assert.match(r.note, /; the router failed 1 time\.$/);
});

test('damaged histories: left out or read line by line, never a crash', async () => {
  const root = knownStore();
  const runs = path.join(root, 'runs');
  fs.writeFileSync(path.join(runs, '20261121T000000Z-empty.jsonl'), '');
  fs.writeFileSync(path.join(runs, '20261121T010000Z-garbage.jsonl'), 'this is not json\n{"nor":"this"}\n');
  // A routed run with a line cut in the middle, and a decision missing its worker.
  const torn = routedRun('20261121T020000Z-torn', T0 + 20 * HOUR, [{ step: 'answer', candidates: ['small-llm', 'large-llm', 'local-model'], attempts: [{ worker: 'local-model', ok: true, ms: 30, cost: 0 }] }]);
  const lines = torn.map((e) => JSON.stringify(e));
  lines.splice(2, 0, '{"seq": 3, "type": "transit');
  lines.push(JSON.stringify({ seq: 99, t: T0, type: 'route.decided', step: 'answer', attempt: 7, candidates: ['x'] }));
  fs.writeFileSync(path.join(runs, '20261121T020000Z-torn.jsonl'), lines.join('\n') + '\n');
  const { get, errors } = appOver(root);
  const r = await get('/api/routing');
  assert.equal(errors, []);
  assert.is(r.runs.damagedCount, 2);
  assert.equal(r.runs.damaged.map((d: any) => d.runId).sort(), ['20261121T000000Z-empty', '20261121T010000Z-garbage']);
  for (const d of r.runs.damaged) assert.match(d.reason, /jsonl:1:/, `names the file and line: ${d.reason}`);
  assert.ok(r.runs.readLineByLine >= 1, 'the torn history was read line by line');
  assert.is(r.runs.badDecisions, 1);
  const local = r.capabilities[0].candidates.find((c: any) => c.worker === 'local-model');
  assert.equal([local.attempts, local.succeeded, local.p50LatencyMs], [1, 1, 30], 'what could be read of the torn history counts');
  assert.match(r.note, /2 unreadable histories left out/);
});

test('the cache follows a history that changed', async () => {
  const root = tmp();
  const file = writeHistory(root, routedRun('20261120T080000Z-x', T0, [{ step: 's', candidates: ['a', 'b'], attempts: [{ worker: 'a', ok: true, ms: 5 }] }]));
  const { get } = appOver(root);
  assert.equal((await get('/api/routing')).capabilities[0].candidates.map((c: any) => c.attempts), [1, 0]);
  fs.writeFileSync(file, routedRun('20261120T080000Z-x', T0, [{ step: 's', candidates: ['a', 'b'], attempts: [{ worker: 'a', ok: false, ms: 5 }, { worker: 'b', ok: true, ms: 7 }] }]).map((e) => JSON.stringify(e)).join('\n') + '\n');
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal((await get('/api/routing')).capabilities[0].candidates.map((c: any) => c.attempts), [1, 1]);
});

test('?charts=1: bar and strip charts as SVG, the width asked for, labels 11 px and up', async () => {
  const root = tmp();
  for (const events of routedFleet(12)) writeHistory(root, events);
  const { get } = appOver(root);
  const r = await get('/api/routing?charts=1&width=1100');
  assert.equal(r.capabilities.map((c: any) => c.capability), ['answer', 'extract']);
  for (const cap of r.capabilities) {
    const { bars, choices } = cap.svg;
    assert.match(bars, /^<svg [^>]*class="oa-routing-bars"[^>]*width="1100"/);
    assert.is((bars.match(/<g class="candidate"/g) ?? []).length, cap.candidates.length);
    assert.is((choices.match(/<g class="choice /g) ?? []).length, cap.decisions, 'one mark per decision');
    assert.is((choices.match(/<g class="legend version"/g) ?? []).length, cap.policies.length);
    assert.equal(cap.policies.map((p: any) => `${p.policy} v${p.version}`), ['cheapest v1', 'bandit v1', 'bandit v2']);
    for (const svg of [bars, choices]) {
      const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
      assert.ok(sizes.length > 3 && Math.min(...sizes) >= 11, `font sizes ${sizes}`);
      assert.not.match(svg, /NaN|undefined/);
    }
  }
  const bar = r.capabilities[1].svg.bars.match(/class="bar success" data-value="([\d.]+)"/);
  assert.ok(bar, 'the success bars carry their values');
  const plain = await get('/api/routing');
  assert.is(plain.capabilities[0].svg, undefined, 'no SVG unless asked');
});

test('an empty store: no capabilities, a note, and the page shell at /routing', async () => {
  const { get } = appOver(tmp());
  const r = await get('/api/routing');
  assert.equal([r.runs.read, r.capabilities.length, r.workflows.length], [0, 0, 0]);
  assert.is(r.note, 'No runs in this store yet.');
  const page = await get('/routing');
  assert.match(page, /<script type="module" src="\/assets\/app.js"><\/script>/);
});

test('histories the hub wrote: its route.decided events and the attempts\' outcomes are read as recorded', async () => {
  const root = tmp();
  const store = createJsonlStore(root);
  // `small` fails its first attempt; `large` succeeds and reports a cost.
  const worker = (name: string) => defineWorker({
    name, description: `candidate ${name}`, input: z.any(), output: z.any(), retry: { maxAttempts: 2, initialDelayMs: 1 },
    run: async (_x: unknown, ctx) => {
      if (name === 'small' && ctx.attempt === 1) throw new Error('small could not');
      ctx.reportCost(name === 'large' ? 0.5 : 0.1);
      return { by: name };
    },
  });
  const wf = defineWorkflow({ id: 'routed', onFailure: 'failed', steps: [{ id: 'sum', candidates: [worker('small'), worker('large')], onSuccess: 'succeeded' }] });
  // Alternates small, large, small, …: each run tries small first, then large on the retry.
  let calls = 0;
  const router: Router = { id: 'alternate', version: '3', route: (r) => ({ worker: r.candidates[calls++ % 2].worker, policy: 'alternate', version: '3', probabilities: [0.5, 0.5] }) };
  for (let i = 0; i < 3; i++) await run(wf, { text: 'x' }, { store, router });
  const { get } = appOver(root);
  const r = await get('/api/routing?workflow=routed');
  assert.equal([r.runs.read, r.runs.routed, r.runs.readLineByLine, r.runs.damagedCount], [3, 3, 0, 0]);
  const [cap] = r.capabilities;
  assert.equal([cap.capability, cap.decisions, cap.policies.map((p: any) => `${p.policy}@${p.version}:${p.decisions}`)], ['sum', 6, ['alternate@3:6']]);
  assert.equal(cap.candidates.map((c: any) => [c.worker, c.attempts, c.succeeded, c.failed, c.meanCost]), [['small', 3, 0, 3, null], ['large', 3, 3, 0, 0.5]]);
});

test('percentile is the nearest rank', () => {
  assert.is(percentile([], 0.5), null);
  assert.is(percentile([7], 0.9), 7);
  assert.is(percentile([100, 200, 300, 400], 0.5), 200);
  assert.is(percentile([100, 200, 300, 400], 0.9), 400);
});

test.run();
