import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineWorkflow, run, HistoryParseError, resume, replay } from '../../src/index.ts';
import { echo, tempStore } from '../support/workers.ts';

const wf = defineWorkflow({ id: 'lin', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: echo }] });

test('histories are JSONL with gapless sequence numbers, under runs/<runId>.jsonl', async () => {
  const store = tempStore();
  const r = await run(wf, { n: 0 }, { store });
  const file = store.pathOf(r.runId);
  assert.ok(file.endsWith(`/runs/${r.runId}.jsonl`));
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.map((l) => l.seq), lines.map((_, i) => i + 1));
  assert.equal(lines[0].type, 'run.started');
  assert.equal(lines[0].workflowHash, wf.hash);
  assert.equal(lines.at(-1).type, 'run.finished');
});

test('a truncated last line is ignored with a warning; resume cuts it off and continues', async () => {
  const store = tempStore();
  const r = await run(wf, { n: 0 }, { store });
  const file = store.pathOf(r.runId);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const keep = lines.findIndex((l) => JSON.parse(l).type === 'step.succeeded') + 1; // a succeeded, b not yet
  fs.writeFileSync(file, lines.slice(0, keep + 2).join('\n') + '\n' + lines[keep + 2].slice(0, 10));
  const warnings: string[] = [];
  const events = store.read(r.runId, { onWarning: (m) => warnings.push(m) });
  assert.equal(events.length, keep + 2);
  assert.match(warnings[0], `${file}:${keep + 3}: ignoring a truncated last line`);
  const resumed = await resume(r.runId, { workflow: wf, store, onWarning: () => {} });
  assert.equal(resumed.status, 'succeeded');
  assert.equal(resumed.output, { n: 2 });
  assert.ok(replay(store.read(r.runId), wf).ok);
});

test('corruption anywhere else is an error naming file and line', async () => {
  const store = tempStore();
  const r = await run(wf, { n: 0 }, { store });
  const file = store.pathOf(r.runId);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[2] = '{"seq": 3, oops';
  fs.writeFileSync(file, lines.join('\n'));
  try {
    store.read(r.runId);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, HistoryParseError);
    assert.equal((e as HistoryParseError).line, 3);
    assert.match((e as Error).message, `${file}:3: not valid JSON`);
  }
  lines[2] = JSON.stringify({ seq: 9, t: 0, type: 'transition', event: 'x', from: [], to: [] });
  fs.writeFileSync(file, lines.join('\n'));
  assert.throws(() => store.read(r.runId), /:3: expected seq 3, found 9/);
});

test('listRuns pages newest first and reads only each run\'s first and last lines', async () => {
  const store = tempStore();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await run(wf, { n: i }, { store })).runId);
  const page = store.listRuns({ offset: 1, limit: 2 });
  assert.equal(page.total, 5);
  assert.equal(page.runs.map((r) => r.runId), [...ids].reverse().slice(1, 3));
  assert.equal(page.runs[0].status, 'succeeded');
  assert.equal(page.runs[0].workflowId, 'lin');
});

test('fsync durability: every flush is synced, and the history is complete and replayable', async () => {
  const store = tempStore();
  const r = await run(wf, { n: 0 }, { store, durability: 'fsync' });
  assert.equal(r.status, 'succeeded');
  const events = store.read(r.runId);
  assert.equal(events.at(-1)!.type, 'run.finished');
  assert.ok(replay(events, wf).ok);
});

test('a history is never overwritten', async () => {
  const store = tempStore();
  const r = await run(wf, { n: 0 }, { store });
  try {
    await run(wf, { n: 0 }, { store, runId: r.runId });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, 'already exists: a history is never overwritten');
  }
});

test.run();
