import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HistoryEvent } from '../../machines/history/events.ts';
import { createJsonlStore } from '../../src/index.ts';
import { asRunBrowser } from '../../src/history/jsonl-run-store.ts';
import { UnknownRunError } from '../../src/history/run-store.ts';
import { ControlError } from '../../src/operations/control.ts';
import { browserControl } from '../../src/ui/browser-control.ts';
import { finishedShopRun, waitingShopRun, writeHistory } from '../ui/histories.ts';
import { until } from './support.ts';

/**
 * The JSONL store through the asynchronous `RunBrowser` the server and the viewer use: reads
 * after a sequence number, who holds a run, following a history as it grows (each event once, in
 * order), control requests, and the run control built on it.
 */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oa-jsonl-browser-'));
const DONE = '20261121T190000Z-done';
const WAIT = '20261121T200000Z-wait';

function storeWithRuns() {
  const root = tmp();
  writeHistory(root, finishedShopRun(DONE));
  writeHistory(root, waitingShopRun(WAIT));
  const store = createJsonlStore(root);
  return { root, store, browser: asRunBrowser(store, { pollMs: 20 }) };
}

/** What a writer of this process appends, numbered by the writer. */
const draftOf = (e: HistoryEvent) => {
  const { seq: _seq, ...rest } = e as any;
  return rest;
};

test('read after a sequence number, exists, listRuns; an unknown or invalid run id is UnknownRunError', async () => {
  const { store, browser } = storeWithRuns();
  assert.is(browser.kind, 'jsonl');
  assert.is(browser.location, store.root);
  const all = await browser.read(DONE);
  assert.equal(all, store.read(DONE));
  assert.equal((await browser.read(DONE, 5)).map((e) => e.seq), all.slice(5).map((e) => e.seq));
  assert.equal(await browser.read(DONE, all.length), []);
  assert.is(await browser.exists(DONE), true);
  assert.is(await browser.exists('20990101T000000Z-nope'), false);
  assert.is(await browser.exists('../etc/passwd'), false, 'an id that cannot be a file name is no run');
  for (const id of ['20990101T000000Z-nope', '../etc/passwd']) {
    try {
      await browser.read(id);
      assert.unreachable(id);
    } catch (e) {
      assert.instance(e, UnknownRunError, id);
    }
  }
  const { runs, total } = await browser.listRuns({ limit: 10 });
  assert.is(total, 2);
  assert.equal(runs.map((r) => [r.runId, r.status]), [[WAIT, 'interrupted'], [DONE, 'succeeded']]);
});

test('holderOf: the process writing a run holds it while its writer is open; a hand-written run has no holder', async () => {
  const { store, browser } = storeWithRuns();
  assert.is(await browser.holderOf(WAIT), undefined);
  assert.is(await browser.holderOf('20990101T000000Z-nope'), undefined);
  const runId = '20261205T000000000-live';
  const writer = store.create(runId);
  writer.append(draftOf(finishedShopRun(runId)[0]));
  writer.flush();
  const held = await browser.holderOf(runId);
  assert.ok(held?.alive, JSON.stringify(held));
  assert.match(held!.holder, /^o-[0-9a-f]+-\d+$/);
  writer.close();
  assert.is((await browser.holderOf(runId))?.alive, false, 'a writer closed without an end: nobody runs it any more');
});

test('follow: the events after N at once, then each appended one once, in order, until unsubscribed', async () => {
  const { store, browser } = storeWithRuns();
  const runId = '20261205T000000001-grow';
  const script = finishedShopRun(runId);
  const writer = store.create(runId);
  for (const e of script.slice(0, 4)) writer.append(draftOf(e));
  writer.flush();
  const got: number[] = [];
  const stop = browser.follow(runId, 2, (e) => got.push(e.seq));
  assert.equal(got, [], 'never called back from inside follow()');
  await until(() => got.length === 2, 2_000, 'the events already there');
  assert.equal(got, [3, 4]);
  for (const e of script.slice(4, 12)) {
    writer.append(draftOf(e));
    writer.flush(); // one event per write: every version of the file is a chance to skip or repeat
    await new Promise((r) => setTimeout(r, 3));
  }
  await until(() => got.length === 10, 2_000, 'the appended events');
  assert.equal(got, Array.from({ length: 10 }, (_, i) => i + 3));
  stop();
  for (const e of script.slice(12)) writer.append(draftOf(e));
  writer.close();
  await new Promise((r) => setTimeout(r, 100));
  assert.is(got.length, 10, 'nothing after the unsubscribe');
});

test('follow: a run whose history does not exist yet is delivered from its first event once it appears', async () => {
  const { store, browser } = storeWithRuns();
  const runId = '20261205T000000002-late';
  const got: string[] = [];
  const stop = browser.follow(runId, 0, (e) => got.push(e.type));
  await new Promise((r) => setTimeout(r, 60));
  const writer = store.create(runId);
  writer.append(draftOf(finishedShopRun(runId)[0]));
  writer.close();
  await until(() => got.length === 1, 2_000, 'the first event');
  assert.equal(got, ['run.started']);
  stop();
});

test('sendControl and controlRequests go through the store control folder', async () => {
  const { store, browser } = storeWithRuns();
  const request = { type: 'cancel' as const, id: 'c1', t: 1, reason: 'test' };
  await browser.sendControl(WAIT, request);
  assert.equal(await browser.controlRequests(WAIT), [request]);
  assert.equal(store.control.requests(WAIT), [request], 'the same file the run engine watches');
  assert.equal(await browser.controlRequests(DONE), []);
});

test('browserControl: the checks of `orchestai approve`; a run nobody holds gets its request queued', async () => {
  const { browser } = storeWithRuns();
  const control = browserControl(browser);
  const ok = await control.approve(WAIT, 'approve', { approved: true, by: 'ana', comment: 'fine' });
  assert.is(ok.delivered, 'queued');
  const [sent] = await browser.controlRequests(WAIT);
  assert.equal({ ...sent, t: 0 }, { type: 'approve', id: ok.requestId, t: 0, step: 'approve', approved: true, by: 'ana', comment: 'fine' });
  const refusals: [() => Promise<unknown>, RegExp][] = [
    [() => control.approve(WAIT, 'publish', { approved: true }), /step "publish" of run .* is not waiting for an approval; waiting: approve/],
    [() => control.approve(DONE, 'approve', { approved: true }), /already finished \(succeeded\)/],
    [() => control.cancel(DONE, {}), /already finished/],
    [() => control.cancel('20990101T000000Z-nope', {}), /unknown run "20990101T000000Z-nope" in /],
  ];
  for (const [call, message] of refusals) {
    try {
      await call();
      assert.unreachable(String(message));
    } catch (e) {
      assert.instance(e, ControlError);
      assert.match((e as Error).message, message);
    }
  }
  assert.is((await browser.controlRequests(WAIT)).length, 1, 'a refused request is not recorded');
});

test.run();
