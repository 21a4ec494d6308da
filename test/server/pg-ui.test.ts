import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { requireServices } from '../support/services.ts';
import { finishedShopRun, waitingShopRun } from '../ui/histories.ts';
import { appendAll, pgServer, type PgServer } from './pg-support.ts';
import { until } from './support.ts';

/**
 * The viewer of `orchestai server --store postgres://…` in headless Chromium (Debian's
 * `chromium`, driven by playwright-core): the run list from the store, a run a hub holds waiting
 * for approval with its Approve button, the click landing in the store as a control request, and
 * the page following the run as the hub writes on. Screenshots go to test-artifacts/ui/pg-*.png.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts/ui');
const it = fs.existsSync(CHROMIUM) ? requireServices(test, ['postgres']) : skipWithoutChromium();

/** Without Chromium: one line saying so, and the tests go to a suite that never runs (as `requireServices` does). */
function skipWithoutChromium() {
  test(`skipped: ${CHROMIUM} not found (install chromium to run the viewer on PostgreSQL)`, () => undefined);
  return suite('not run: chromium missing') as typeof test;
}

/** When the waiting run started: 20 s before the test. */
const T0 = Date.now() - 20_000;
const ctx: { s?: PgServer; browser?: any; page?: any; done?: string; waiting?: string; queued?: string } = {};
const shot = (name: string) => ctx.page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true, timeout: 15_000 });

it.before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const s = (ctx.s = await pgServer());
  const submit = async (workflow: string) => ((await (await s.call('operator', 'POST', '/api/runs', { workflow })).json()) as { runId: string }).runId;
  ctx.done = await submit('shop');
  const doneWriter = await s.claim(ctx.done, 'hub-a');
  await appendAll(doneWriter, finishedShopRun(ctx.done, Date.now() - 60_000));
  await doneWriter.close();
  ctx.waiting = await submit('shop');
  await appendAll(await s.claim(ctx.waiting, 'hub-b'), waitingShopRun(ctx.waiting, T0));
  ctx.queued = await submit('gated');
  ctx.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  ctx.page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
  ctx.page.setDefaultTimeout(15_000);
});

it.after(async () => {
  await ctx.browser?.close();
  await ctx.s?.close();
});

it('the run list shows the runs of the PostgreSQL store and where it is', async () => {
  // The operator's token, once in the URL: the page keeps it as a cookie.
  await ctx.page.goto(`${ctx.s!.server.url}?token=${ctx.s!.secret.operator}`);
  await ctx.page.waitForSelector(`#run-list tr[data-run-id="${ctx.waiting}"]`);
  const rows = await ctx.page.$$eval('#run-list tbody tr[data-run-id]', (trs: any[]) => trs.map((tr) => [tr.dataset.runId, `${tr.dataset.status}/${tr.querySelector('.badge').textContent}`]));
  assert.equal(Object.fromEntries(rows), { [ctx.done!]: 'succeeded/succeeded', [ctx.waiting!]: 'running/running', [ctx.queued!]: 'running/queued' }, 'a run no hub holds yet is shown queued');
  assert.is(await ctx.page.$eval('header .store', (el: any) => el.textContent), ctx.s!.store.location);
  await shot('pg-run-list.png');
});

it('a run waiting for approval: its chart, its Approve button; the click lands in the store and the page follows the hub', async () => {
  const s = ctx.s!;
  const runId = ctx.waiting!;
  await ctx.page.goto(`${s.server.url}runs/${runId}`);
  await ctx.page.waitForSelector('#app[data-state="ready"]');
  await ctx.page.waitForSelector('#run-controls .approval[data-step="approve"] button.approve');
  await ctx.page.waitForSelector('#chart svg');
  const events = waitingShopRun(runId).length;
  assert.is(await ctx.page.$eval('#app [data-events]', (el: any) => el.dataset.events), String(events));
  await shot('pg-run-approval.png');

  // The stand-in hub applies the decision when it sees it, as the engine does.
  const writer = (await s.store.claim(runId, 'hub-b'))!.writer;
  await ctx.page.fill('#run-controls input.comment[data-step="approve"]', 'ok from the browser');
  await ctx.page.click('#run-controls button.approve[data-step="approve"]');
  let requests: Awaited<ReturnType<typeof s.store.controlRequests>> = [];
  await until(async () => (requests = await s.store.controlRequests(runId)).length > 0, 5_000, 'the request in the store');
  assert.equal([requests[0].type, (requests[0] as any).step, (requests[0] as any).approved, (requests[0] as any).comment], ['approve', 'approve', true, 'ok from the browser']);
  const rest = finishedShopRun(runId, T0).slice(events);
  writer.append({ ...(({ seq: _s, ...e }) => e)(rest[0] as any), requestId: requests[0].id, by: requests[0].by } as any);
  await appendAll(writer, rest.slice(1, 3));
  await ctx.page.waitForFunction(`/approved; the run continues/.test(document.querySelector('#control-outcome')?.textContent ?? '')`);
  await ctx.page.waitForFunction(`document.querySelector('#app [data-events]')?.dataset.events === '${events + 3}'`);
  assert.is(await ctx.page.$$eval('#run-controls .approval', (els: any[]) => els.length), 0, 'nothing waits any more');
  await shot('pg-run-approved.png');
  await writer.close();
});

it('a queued run: its page says no hub has started it, then draws it once a hub does', async () => {
  const s = ctx.s!;
  const runId = ctx.queued!;
  const page = await ctx.page.goto(`${s.server.url}runs/${runId}`);
  assert.is(page.status(), 200, 'the page, not a 409: the run exists');
  await ctx.page.waitForSelector('#detail [data-queued]');
  assert.match(await ctx.page.$eval('#detail', (el: any) => el.textContent), /queued: no hub has started it yet/);
  await shot('pg-run-queued.png');
  const writer = await s.claim(runId, 'hub-c');
  const started = Date.now();
  writer.append({ type: 'run.started', t: started, runId, workflowId: 'gated', workflowHash: 'h', input: { ms: 1 }, source: 'builtin:gated' });
  writer.append({ type: 'transition', t: started, event: 'xstate.init', from: [], to: ['draft.running'] });
  await writer.flush();
  await ctx.page.waitForSelector('#chart svg');
  assert.match(await ctx.page.$eval('#run-status', (el: any) => el.textContent), /running/);
  await writer.close();
});

test.run();
