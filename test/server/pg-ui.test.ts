import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { requireServices } from '../support/services.ts';
import { waitForRun } from '../../src/hub/client.ts';
import { startHub, type Hub } from '../../src/hub/hub.ts';
import { pgServer, type PgServer } from './pg-support.ts';
import { testWorkflows, until } from './support.ts';

/**
 * The viewer of `orchestai server --store postgres://…` in headless Chromium (Debian's
 * `chromium`, driven by playwright-core), with a real hub (`startHub`) driving the `shop` runs:
 * the run list from the store, a run the hub holds waiting for approval with its Approve button,
 * the click landing in the store, the hub applying it and the page following the run to its end.
 * Screenshots go to test-artifacts/ui/pg-*.png.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts/ui');
const it = fs.existsSync(CHROMIUM) ? requireServices(test, ['postgres']) : skipWithoutChromium();

/** Without Chromium: one line saying so, and the tests go to a suite that never runs (as `requireServices` does). */
function skipWithoutChromium() {
  test(`skipped: ${CHROMIUM} not found (install chromium to run the viewer on PostgreSQL)`, () => undefined);
  return suite('not run: chromium missing') as typeof test;
}

const ctx: { s?: PgServer; hub?: Hub; browser?: any; page?: any; done?: string; waiting?: string; queued?: string } = {};
const shot = (name: string) => ctx.page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true, timeout: 15_000 });
const awaitsApproval = async (runId: string) => (await ctx.s!.store.read(runId)).some((e) => e.type === 'timer.set' && e.purpose === 'approval');

it.before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const s = (ctx.s = await pgServer());
  // A hub serving `shop` only: the `gated` run stays queued for the last test.
  ctx.hub = startHub({ store: s.store, workflows: [testWorkflows.shop()], holder: 'hub-a', pollMs: 100 });
  const submit = async (workflow: string) => ((await (await s.call('operator', 'POST', '/api/runs', { workflow, input: { url: 'https://example.test' } })).json()) as { runId: string }).runId;
  ctx.done = await submit('shop');
  await until(() => awaitsApproval(ctx.done!), 10_000, 'the first run to wait for approval');
  await s.store.sendControl(ctx.done, { type: 'approve', id: 'r-done', t: Date.now(), step: 'approve', approved: true, by: 'ana' });
  await waitForRun(s.store, ctx.done);
  ctx.waiting = await submit('shop');
  await until(() => awaitsApproval(ctx.waiting!), 10_000, 'the second run to wait for approval');
  ctx.queued = await submit('gated');
  ctx.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  ctx.page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
  ctx.page.setDefaultTimeout(15_000);
});

it.after(async () => {
  await ctx.browser?.close();
  await ctx.hub?.stop();
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
  const events = (await s.store.read(runId)).length;
  assert.is(await ctx.page.$eval('#app [data-events]', (el: any) => el.dataset.events), String(events));
  assert.not.match(await ctx.page.$eval('#state-note', (el: any) => el.textContent), /diverged/, 'the hub\'s history replays onto the workflow');
  await shot('pg-run-approval.png');

  // The hub holding the run applies the decision and finishes the run; the page follows it.
  await ctx.page.fill('#run-controls input.comment[data-step="approve"]', 'ok from the browser');
  await ctx.page.click('#run-controls button.approve[data-step="approve"]');
  let requests: Awaited<ReturnType<typeof s.store.controlRequests>> = [];
  await until(async () => (requests = await s.store.controlRequests(runId)).length > 0, 5_000, 'the request in the store');
  assert.equal([requests[0].type, (requests[0] as any).step, (requests[0] as any).approved, (requests[0] as any).comment], ['approve', 'approve', true, 'ok from the browser']);
  assert.is((await waitForRun(s.store, runId)).status, 'succeeded');
  await ctx.page.waitForFunction(`/approved; the run continues/.test(document.querySelector('#control-outcome')?.textContent ?? '')`);
  await ctx.page.waitForFunction(`/succeeded/.test(document.querySelector('#run-status')?.textContent ?? '')`);
  assert.is(await ctx.page.$$eval('#run-controls .approval', (els: any[]) => els.length), 0, 'nothing waits any more');
  // The run list refreshes every 2 s.
  await ctx.page.waitForFunction(`document.querySelector('#run-list tr[data-run-id="${runId}"]')?.dataset.status === 'succeeded'`);
  await shot('pg-run-approved.png');
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
