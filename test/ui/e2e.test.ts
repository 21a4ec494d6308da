import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { chromium } from 'playwright-core';
import { createJsonlStore, defineWorker, defineWorkflow, run, startRun, compileWorkflow, type Workflow } from '../../src/index.ts';
import { startUiServer, type UiServer } from '../../src/ui/server.ts';
import { readChart } from '../../src/viz/chart.ts';

/**
 * End to end in headless Chromium (Debian's `chromium`, driven by playwright-core): the viewer
 * on a temporary store with real runs. Screenshots go to test-artifacts/ui/.
 */

/** Debian's chromium; CHROMIUM_PATH overrides it (e.g. to check the skip path). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts/ui');
const e2e = suite('ui e2e (chromium)');

if (!fs.existsSync(CHROMIUM)) {
  console.log(`\n  SKIP ui e2e: ${CHROMIUM} not found. Install it with .ci/chromium.sh (apt-get install chromium) to run these tests.\n`);
  for (const name of ['run list', 'chart nodes', 'live run', 'scrubber', '404 page', 'planner panel', '1,000-event load time']) e2e.skip(name, () => {});
  e2e.run();
} else {
  defineSuite();
}

function defineSuite() {
  const any = z.any();
  let flakyCalls = 0;
  const fetchW = defineWorker({
    name: 'fetch-page', description: 'Fails on its first call, then returns a page.', input: any, output: any,
    retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 },
    run: () => {
      if (flakyCalls++ === 0) throw new Error('connection reset');
      return { html: '<h1>bakery</h1>' };
    },
  });
  const summarizeW = defineWorker({ name: 'summarize', description: 'Summarises.', input: any, output: any, run: (x: any) => ({ summary: `${String(x?.html ?? '').length} chars` }) });
  const demo = defineWorkflow({ id: 'demo', onFailure: 'failed', steps: [{ id: 'fetch', worker: fetchW, onSuccess: 'summarize' }, { id: 'summarize', worker: summarizeW, onSuccess: 'succeeded' }] });

  let release!: () => void;
  const gateOpen = new Promise<void>((r) => (release = r));
  const gateW = defineWorker({ name: 'gate', description: 'Waits until the test releases it.', input: any, output: any, run: async () => { await gateOpen; return { released: true }; } });
  const live = defineWorkflow({ id: 'live', onFailure: 'failed', steps: [{ id: 'gate', worker: gateW, onSuccess: 'finish' }, { id: 'finish', worker: summarizeW, onSuccess: 'succeeded' }] });

  const tick = defineWorker({ name: 'tick', description: 'Counts.', input: any, output: any, run: (x: any) => ({ n: (x?.n ?? 0) + 1 }) });
  const long = defineWorkflow({ id: 'long', onFailure: 'failed', steps: [{ id: 'work', worker: tick, onSuccess: [{ target: 'work', maxTimes: 500, label: 'again' }, { target: 'succeeded' }] }] });

  const registry: Record<string, () => Workflow> = { demo: () => demo, live: () => live, long: () => long };
  const ctx: { root?: string; ui?: UiServer; browser?: any; page?: any; demoId?: string; liveId?: string; longId?: string; liveResult?: Promise<any>; longEvents?: number } = {};
  const shot = (name: string) => ctx.page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true, timeout: 15000 });
  const activeOf = () => ctx.page.$eval('#chart', (el: any) => el.dataset.active ?? '');

  let setupError: unknown;
  // uvu drops an error thrown by a `before` hook; keep it and fail every test with it instead.
  e2e.before(async () => {
    try {
      await setUp();
    } catch (e) {
      setupError = e;
    }
  });
  e2e.before.each(() => {
    if (setupError) throw setupError;
  });
  async function setUp() {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    ctx.root = fs.mkdtempSync(path.join(os.tmpdir(), 'oa-e2e-'));
    const store = createJsonlStore(ctx.root);
    ctx.demoId = (await run(demo, { url: 'https://bakery.example' }, { store, source: 'demo' })).runId;
    const longRun = await run(long, { n: 0 }, { store, source: 'long' });
    ctx.longId = longRun.runId;
    ctx.longEvents = store.read(longRun.runId).length;
    const handle = startRun(live, { go: true }, { store, source: 'live' });
    ctx.liveId = handle.runId;
    ctx.liveResult = handle.result;
    ctx.ui = await startUiServer({ store, port: 0, workflows: registry });
    ctx.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    ctx.page = await ctx.browser.newPage({ viewport: { width: 1500, height: 950 } });
    ctx.page.setDefaultTimeout(15000);
  }

  e2e.after(async () => {
    release?.();
    await ctx.liveResult?.catch(() => undefined);
    await ctx.browser?.close();
    await ctx.ui?.close();
    if (ctx.root) fs.rmSync(ctx.root, { recursive: true, force: true });
  });

  e2e('run list shows the runs, with status and workflow', async () => {
    await ctx.page.goto(ctx.ui!.url);
    await ctx.page.waitForSelector(`#run-list tr[data-run-id="${ctx.demoId}"]`);
    const rows = await ctx.page.$$eval('#run-list tbody tr[data-run-id]', (trs: any[]) => trs.map((tr) => ({ id: tr.dataset.runId, status: tr.dataset.status, text: tr.textContent })));
    assert.is(rows.length, 3);
    const demoRow = rows.find((r: any) => r.id === ctx.demoId)!;
    assert.is(demoRow.status, 'succeeded');
    assert.match(demoRow.text, /demo/);
    assert.is(rows.find((r: any) => r.id === ctx.liveId)!.status, 'running');
    await shot('run-list.png');
  });

  e2e('chart has one node per state of the compiled machine', async () => {
    await ctx.page.goto(`${ctx.ui!.url}runs/${ctx.demoId}`);
    await ctx.page.waitForSelector('#app[data-state="ready"]');
    const expected = readChart(compileWorkflow(demo).config).states.map((s) => s.relPath).sort();
    const drawn = (await ctx.page.$$eval('#chart .state', (els: any[]) => els.map((e) => e.getAttribute('data-path')))).sort();
    assert.equal(drawn, expected);
    assert.is(await activeOf(), 'succeeded');
    await shot('run-finished.png');
  });

  e2e('scrubber: dragging to an earlier event shows the state and context as of then', async () => {
    const history = createJsonlStore(ctx.root).read(ctx.demoId!);
    const waitingAt = history.find((e) => e.type === 'transition' && e.to.includes('fetch.waiting'))!.seq;
    const setScrub = async (seq: number) =>
      ctx.page.$eval('#scrubber', (el: any, v: number) => {
        el.value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, seq);
    await setScrub(waitingAt);
    await ctx.page.waitForFunction("document.getElementById('chart').dataset.active === 'fetch.waiting'");
    assert.ok(await ctx.page.$('#chart .state.active[data-path="fetch.waiting"]'), 'the waiting state is lit');
    assert.match(await ctx.page.textContent('#scrub-label'), new RegExp(`^event ${waitingAt} / ${history.length}`));
    const ctxThen = JSON.parse(await ctx.page.textContent('#context'));
    assert.equal(ctxThen.outputs, {}, 'no step output yet at that point');
    await shot('run-scrubbed.png');
    await setScrub(history.length);
    await ctx.page.waitForFunction("document.getElementById('chart').dataset.active === 'succeeded'");
    const ctxEnd = JSON.parse(await ctx.page.textContent('#context'));
    assert.ok(ctxEnd.outputs.summarize, 'the summarize output is in the context at the end');
  });

  e2e('a live run lights up its current state, then moves on when the worker finishes', async () => {
    await ctx.page.goto(`${ctx.ui!.url}runs/${ctx.liveId}`);
    await ctx.page.waitForSelector('#app[data-state="ready"]');
    await ctx.page.waitForFunction("document.getElementById('chart').dataset.active === 'gate.running'");
    assert.ok(await ctx.page.$('#chart .state.active[data-path="gate.running"]'));
    assert.ok(await ctx.page.$('#chart .state.lit[data-path="gate"]'), 'its parent is marked too');
    assert.match(await ctx.page.textContent('#run-status'), /running/);
    await shot('run-live.png');
    release();
    await ctx.liveResult;
    await ctx.page.waitForFunction("document.getElementById('chart').dataset.active === 'succeeded'", undefined, { timeout: 10000 });
    await ctx.page.waitForFunction("/succeeded/.test(document.getElementById('run-status').textContent)");
    await ctx.page.waitForSelector(`#run-list tr[data-run-id]:not([data-status="running"])`);
    await ctx.page.waitForFunction(`!document.querySelector('#run-list tr[data-status="running"]')`, undefined, { timeout: 10000 });
    await shot('run-live-finished.png');
  });

  e2e('unknown run id: a clear 404 page', async () => {
    const res = await ctx.page.goto(`${ctx.ui!.url}runs/20990101T000000Z-missing`);
    assert.is(res.status(), 404);
    assert.match(await ctx.page.textContent('h1'), /404 — No such run/);
    await shot('run-404.png');
  });

  e2e('planner panel: plan DAG next to its statechart (or the planner\'s message), hidden without a planner', async () => {
    await ctx.page.goto(`${ctx.ui!.url}plan`);
    await ctx.page.waitForSelector('#app[data-state="ready"]');
    const hasPlanner = fs.existsSync(new URL('../../planner/index.ts', import.meta.url));
    assert.is(await ctx.page.$eval('#nav-plan', (a: any) => !a.hidden), hasPlanner);
    if (!hasPlanner) return;
    await ctx.page.fill('#instruction', 'Summarise docs/q3.md into a short report');
    await ctx.page.click('#planner button[type=submit]');
    await ctx.page.waitForSelector('#plan-dag svg, #plan-out .error', { timeout: 20000 });
    if (await ctx.page.$('#plan-dag svg')) {
      assert.ok((await ctx.page.$$('#plan-dag .dag-node')).length > 0);
      assert.ok(await ctx.page.$('#plan-chart svg .state'));
    } else {
      const message: string = await ctx.page.textContent('#plan-out .error');
      assert.ok(message.trim().length > 20 && !/undefined|\[object/.test(message), `the planner's message is shown: ${message}`);
    }
    await shot('planner.png');
  });

  e2e('page load time for a run with about 1,000 events', async () => {
    assert.ok(ctx.longEvents! >= 1000, `long run has ${ctx.longEvents} events`);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await ctx.page.goto(`${ctx.ui!.url}runs/${ctx.longId}`);
      await ctx.page.waitForSelector('#app[data-state="ready"]');
      times.push(Math.round(performance.now() - t));
    }
    assert.is(await activeOf(), 'succeeded');
    await shot('run-1000-events.png');
    times.sort((a, b) => a - b);
    console.log(`  page load (navigation -> chart, replayed state, timeline shown) for a ${ctx.longEvents}-event run: median ${times[1]} ms (runs: ${times.join(', ')} ms)`);
    assert.ok(times[1] < 5000, `load took ${times[1]} ms`);
  });

  e2e.run();
}
