import fs from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow, run, startRun, resume, replay } from '../../src/index.ts';
import { FdPool } from '../../src/history/fd-pool.ts';
import { createJsonlStore } from '../../src/history/jsonl-store.ts';
import { echo, tempStore } from '../support/workers.ts';

/** Ownership, interruption, control requests, damaged files, descriptors: what operators rely on. */

const chain = defineWorkflow({ id: 'lin', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: echo }] });

/** A worker that waits until released, so a test can hold a run mid-step. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const worker = defineWorker({ name: 'gate', description: 'Waits for the test.', input: z.any(), output: z.any(), run: async (x, ctx) => {
    await Promise.race([opened, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))]);
    return x;
  } });
  return { worker, open };
}

const approvalFlow = defineWorkflow({
  id: 'needs-ok', onFailure: 'failed',
  steps: [{ id: 'draft', worker: echo }, { id: 'publish', type: 'approval', timeoutMs: 60_000, onSuccess: 'succeeded' }],
});

test('a live run is owned: its history names the owner, a second writer is refused with the owner named', async () => {
  const store = tempStore();
  const g = gate();
  const wf = defineWorkflow({ id: 'held', onFailure: 'failed', steps: [{ id: 'a', worker: g.worker }] });
  const h = startRun(wf, { n: 1 }, { store });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(store.listRuns().runs[0].status, 'running');
  assert.equal(store.ownerOf(h.runId)?.pid, process.pid);
  assert.match((store.read(h.runId)[0] as any).owner, new RegExp(`^o-[0-9a-f]+-${process.pid}$`));
  assert.throws(() => store.reopen(h.runId), (e: Error) => e.name === 'RunOwnedError' && e.message.includes(`owned by process ${process.pid}`));
  assert.not.ok(fs.existsSync(store.pathOf(h.runId).replace(/\.jsonl$/, '.lock')), 'a refused takeover leaves no lock');
  g.open();
  assert.equal((await h.result).status, 'succeeded');
  assert.equal(store.ownerOf(h.runId), undefined);
});

test('interrupt records why, gives the run up as interrupted, and resume finishes it running the abandoned attempt again', async () => {
  const store = tempStore();
  const g = gate();
  const wf = defineWorkflow({ id: 'held', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: g.worker }] });
  const h = startRun(wf, { n: 1 }, { store });
  await new Promise((r) => setTimeout(r, 20));
  h.interrupt('SIGTERM');
  const r = await h.result;
  assert.equal(r.status, 'interrupted');
  const events = store.read(h.runId);
  assert.equal(events.at(-1), { ...events.at(-1)!, type: 'run.interrupted', reason: 'SIGTERM', inFlight: ['b'] } as any);
  assert.equal(store.listRuns().runs[0].status, 'interrupted');
  g.open();
  const resumed = await resume(h.runId, { workflow: wf, store });
  assert.equal([resumed.status, resumed.output], ['succeeded', { n: 2 }]);
  assert.ok(replay(store.read(h.runId), wf).ok);
});

test('a run whose owner died is interrupted, not running; resume takes it over', async () => {
  const store = tempStore();
  const r = await run(chain, { n: 0 }, { store });
  // The history of a process that died after its first step: its owner id names a process that is gone.
  const file = store.pathOf(r.runId);
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const cut = lines.findIndex((e) => e.type === 'step.succeeded') + 1;
  lines[0].owner = 'o-deadbeef-999999';
  fs.writeFileSync(file, lines.slice(0, cut).map((e) => JSON.stringify(e)).join('\n') + '\n');
  const [summary] = store.listRuns().runs;
  assert.equal([summary.status, summary.owner?.pid, summary.owner?.alive], ['interrupted', 999999, false]);
  assert.equal(store.listRuns({ status: 'interrupted' }).total, 1);
  const resumed = await resume(r.runId, { workflow: chain, store });
  assert.equal(resumed.status, 'succeeded');
  const owners = store.read(r.runId).filter((e) => e.type === 'run.started' || e.type === 'run.resumed').map((e) => (e as any).owner);
  assert.equal(owners.length, 2);
  assert.is.not(owners[1], owners[0]);
});

test('approve and cancel from another process: a request in the control folder reaches the live run within a second', async () => {
  const store = tempStore();
  const h = startRun(approvalFlow, { n: 0 }, { store });
  await new Promise((r) => setTimeout(r, 30));
  const other = createJsonlStore(store.root); // what a second process sees
  const t0 = Date.now();
  other.control.send(h.runId, { type: 'approve', id: 'req-1', t: Date.now(), step: 'publish', approved: true, by: 'ana', comment: 'ship it' });
  const r = await h.result;
  assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  assert.equal(r.status, 'succeeded');
  const approval = store.read(h.runId).find((e) => e.type === 'approval.received');
  assert.equal({ ...approval, seq: 0, t: 0 }, { seq: 0, t: 0, type: 'approval.received', step: 'publish', approved: true, by: 'ana', comment: 'ship it', requestId: 'req-1' });

  const g = gate();
  const slow = defineWorkflow({ id: 'held', onFailure: 'failed', steps: [{ id: 'a', worker: g.worker }] });
  const h2 = startRun(slow, {}, { store });
  await new Promise((r) => setTimeout(r, 20));
  const t1 = Date.now();
  other.control.send(h2.runId, { type: 'cancel', id: 'req-2', t: Date.now(), reason: 'wrong input', by: 'ops' });
  const c = await h2.result;
  assert.ok(Date.now() - t1 < 1000);
  assert.equal(c.status, 'cancelled');
  assert.equal(store.read(h2.runId).find((e) => e.type === 'run.cancelled'), { ...store.read(h2.runId).find((e) => e.type === 'run.cancelled')!, reason: 'wrong input', by: 'ops', requestId: 'req-2' } as any);
});

test('a decision sent while no process holds the run applies once when it resumes', async () => {
  const store = tempStore();
  const h = startRun(approvalFlow, { n: 0 }, { store });
  await new Promise((r) => setTimeout(r, 20));
  h.interrupt('deploy');
  await h.result;
  store.control.send(h.runId, { type: 'approve', id: 'later', t: Date.now(), step: 'publish', approved: true, by: 'bo' });
  const r = await resume(h.runId, { workflow: approvalFlow, store });
  assert.equal(r.status, 'succeeded');
  assert.equal(store.read(h.runId).filter((e) => e.type === 'approval.received').length, 1);
  assert.ok(replay(store.read(h.runId), approvalFlow).ok);
});

test('damaged histories are listed as damaged with file and line; the listing never throws', async () => {
  const store = tempStore();
  const ok = await run(chain, { n: 0 }, { store });
  const dir = path.dirname(store.pathOf(ok.runId));
  const lines = fs.readFileSync(store.pathOf(ok.runId), 'utf8').trimEnd().split('\n');
  const write = (id: string, text: string) => fs.writeFileSync(path.join(dir, `${id}.jsonl`), text);
  write('20990101T000000000-aaaaaa', '');
  write('20990101T000000001-bbbbbb', [lines[0], '{"seq": 2, oops', ...lines.slice(2)].join('\n') + '\n');
  const { t: _t, ...noTime } = JSON.parse(lines[0]);
  write('20990101T000000002-cccccc', [JSON.stringify(noTime), ...lines.slice(1)].join('\n') + '\n');
  write('20990101T000000003-dddddd', '{"seq":1,"t":1,"type":"step.started"}\n');
  write('20990101T000000004-eeeeee', 'not json at all');
  const { runs, total } = store.listRuns();
  assert.equal(total, 6);
  const byId = Object.fromEntries(runs.map((r) => [r.runId, r]));
  assert.equal(byId['20990101T000000000-aaaaaa'].status, 'damaged');
  assert.match(byId['20990101T000000000-aaaaaa'].damage!, ':1: empty history');
  assert.match(byId['20990101T000000001-bbbbbb'].damage!, ':2: not valid JSON');
  assert.match(byId['20990101T000000002-cccccc'].damage!, ':1: missing time t');
  assert.match(byId['20990101T000000003-dddddd'].damage!, ':1: a history must begin with run.started');
  assert.match(byId['20990101T000000004-eeeeee'].damage!, ':1: no complete event');
  assert.equal(byId[ok.runId].status, 'succeeded');
  assert.equal(store.listRuns({ status: 'damaged' }).total, 5);
});

test('repair cuts a torn last line, keeping the original; other damage is refused, nothing removed', async () => {
  const store = tempStore();
  const r = await run(chain, { n: 0 }, { store });
  const file = store.pathOf(r.runId);
  const original = fs.readFileSync(file, 'utf8');
  const torn = original.slice(0, original.length - 20); // run.finished cut short
  fs.writeFileSync(file, torn);
  const fixed = store.repair(r.runId);
  assert.equal(fs.readFileSync(fixed.backup!, 'utf8'), torn);
  assert.equal(fs.statSync(fixed.backup!).mode & 0o777, 0o600);
  assert.ok(original.startsWith(fs.readFileSync(file, 'utf8')));
  assert.equal(store.listRuns().runs[0].status, 'interrupted');
  const resumed = await resume(r.runId, { workflow: chain, store });
  assert.equal(resumed.status, 'succeeded');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[2] = '{"seq":3,oops';
  fs.writeFileSync(file, lines.join('\n'));
  assert.throws(() => store.repair(r.runId), /:3: not valid JSON/);
  assert.equal(fs.readFileSync(file, 'utf8'), lines.join('\n'));
});

test('histories are private: files 0600, folders 0700', async () => {
  const store = tempStore();
  const r = await run(chain, { n: 0 }, { store });
  assert.equal(fs.statSync(store.pathOf(r.runId)).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.dirname(store.pathOf(r.runId))).mode & 0o777, 0o700);
});

test('run() never throws: a bad workflow or a taken run id is a rejected result', async () => {
  const store = tempStore();
  const first = await run(chain, { n: 0 }, { store });
  const h = startRun(chain, { n: 0 }, { store, runId: first.runId });
  await h.result.then(() => assert.unreachable(), (e) => assert.match(e.message, 'already exists'));
  const bad = startRun({ kind: 'workflow' } as any, {}, { store });
  await bad.result.then(() => assert.unreachable(), (e) => assert.instance(e, Error));
});

test('runs hold no descriptor while they wait: 300 runs waiting at once use at most the pool', async () => {
  const pool = new FdPool(8);
  const store = createJsonlStore(tempStore().root, { fdPool: pool });
  const g = gate();
  const wf = defineWorkflow({ id: 'held', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: g.worker }] });
  const handles = Array.from({ length: 300 }, () => startRun(wf, { n: 0 }, { store }));
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(pool.size <= 8, `${pool.size} descriptors held`);
  g.open();
  const results = await Promise.all(handles.map((h) => h.result));
  assert.ok(results.every((r) => r.status === 'succeeded'));
  assert.ok(results.every((r) => replay(store.read(r.runId), wf).ok));
  assert.equal(pool.size, 0);
});

test.run();
