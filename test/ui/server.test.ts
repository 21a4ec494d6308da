import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createJsonlStore, defineWorker, defineWorkflow, run } from '../../src/index.ts';
import { startUiServer } from '../../src/ui/server.ts';
import { finishedShopRun, writeHistory } from './histories.ts';
import { shopWorkflow } from './shop-workflow.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oa-ui-'));
const get = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text(), headers: res.headers };
};

test('refuses a non-loopback host without a token; checks the token on every request', async () => {
  const store = createJsonlStore(tmp());
  let refused: Error | undefined;
  try {
    const ui = await startUiServer({ store, port: 0, host: '0.0.0.0' });
    await ui.close();
  } catch (e) {
    refused = e as Error;
  }
  assert.match(String(refused?.message), /refusing to serve run histories on 0\.0\.0\.0 without a token/);
  const ui = await startUiServer({ store, port: 0, host: '127.0.0.1', token: 'correct-horse' });
  try {
    const base = ui.url.replace(/\?.*$/, '');
    assert.match(ui.url, /\?token=correct-horse$/);
    assert.is((await get(base)).status, 401);
    assert.is((await get(`${base}api/runs`)).status, 401);
    assert.is((await get(`${base}assets/app.js`)).status, 401);
    assert.is((await get(`${base}api/runs?token=wrong-horse`)).status, 401);
    const ok = await get(ui.url);
    assert.is(ok.status, 200);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    assert.is((await get(`${base}api/runs`, { headers: { cookie } })).status, 200, 'the page keeps working through its cookie');
    assert.is((await get(`${base}api/runs`, { headers: { authorization: 'Bearer correct-horse' } })).status, 200);
  } finally {
    await ui.close();
  }
});

test('on loopback without a token, requests naming another Host are refused (DNS rebinding)', async () => {
  const ui = await startUiServer({ store: createJsonlStore(tmp()), port: 0 });
  try {
    const http = await import('node:http');
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: ui.port, path: '/api/runs', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
      });
    assert.is(await status(`evil.example:${ui.port}`), 403);
    assert.is(await status(`127.0.0.1:${ui.port}`), 200);
    assert.is(await status(`localhost:${ui.port}`), 200);
    assert.is((await get(`${ui.url}runs/%E0%A4%A`)).status, 404, 'a malformed run id is a 404, not a crash');
  } finally {
    await ui.close();
  }
});

test('unknown run: a 404 page that says so; bad history: an error naming file and line', async () => {
  const root = tmp();
  const file = writeHistory(root, finishedShopRun('20261121T200000Z-good'));
  const bad = path.join(root, 'runs', '20261121T200001Z-bad.jsonl');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[6] = lines[6].replace('{', '{,');
  fs.writeFileSync(bad, lines.join('\n'));
  const ui = await startUiServer({ store: createJsonlStore(root), port: 0 });
  try {
    const missing = await get(`${ui.url}runs/20990101T000000Z-nope`);
    assert.is(missing.status, 404);
    assert.match(missing.text, /<h1>404 — No such run<\/h1>/);
    assert.match(missing.text, /There is no run &quot;20990101T000000Z-nope&quot;/);
    assert.is((await get(`${ui.url}api/runs/20990101T000000Z-nope`)).status, 404);
    const broken = await get(`${ui.url}runs/20261121T200001Z-bad`);
    assert.is(broken.status, 422);
    assert.ok(broken.text.includes(`<code class="file">${bad}</code> line <code class="line">7</code>`), broken.text);
    const api = JSON.parse((await get(`${ui.url}api/runs/20261121T200001Z-bad/state`)).text);
    assert.is(api.file, bad);
    assert.is(api.line, 7);
  } finally {
    await ui.close();
  }
});

test('the page and its assets come from the package: no external URLs', async () => {
  const ui = await startUiServer({ store: createJsonlStore(tmp()), port: 0 });
  try {
    for (const p of ['', 'assets/app.js', 'assets/app.css']) {
      const r = await get(ui.url + p);
      assert.is(r.status, 200, p);
      assert.not.match(r.text, /https?:\/\/(?!localhost|127\.0\.0\.1)[a-z]/i, `${p || 'page'} loads nothing from outside`);
    }
  } finally {
    await ui.close();
  }
});

test('a real run: chart, replayed state at an event, timeline and events over the API', async () => {
  const root = tmp();
  const store = createJsonlStore(root);
  let calls = 0;
  const flaky = defineWorker({
    name: 'flaky', description: 'Fails once.', input: z.any(), output: z.any(), retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    run: (x) => { if (calls++ === 0) throw new Error('first try fails'); return { got: x }; },
  });
  const wf = defineWorkflow({ id: 'api-demo', onFailure: 'failed', steps: [{ id: 'fetch', worker: flaky, onSuccess: 'succeeded' }] });
  const result = await run(wf, { q: 1 }, { store, source: 'api-demo' });
  const ui = await startUiServer({ store, port: 0, workflows: { 'api-demo': () => wf } });
  try {
    const history = store.read(result.runId);
    const waitingAt = history.find((e) => e.type === 'transition' && e.to.includes('fetch.waiting'))!.seq;
    const s = JSON.parse((await get(`${ui.url}api/runs/${result.runId}/state?seq=${waitingAt}`)).text);
    assert.is(s.via, 'replay');
    assert.equal(s.active, ['fetch.waiting']);
    const end = JSON.parse((await get(`${ui.url}api/runs/${result.runId}/state`)).text);
    assert.equal(end.active, ['succeeded']);
    assert.is(end.status, 'succeeded');
    const chart = await get(`${ui.url}api/runs/${result.runId}/chart.svg`);
    assert.match(chart.type, /image\/svg\+xml/);
    assert.ok(chart.text.includes('data-path="fetch.waiting"'));
    const tl = await get(`${ui.url}api/runs/${result.runId}/timeline.svg`);
    assert.is((tl.text.match(/class="attempt /g) ?? []).length, 2);
    const ev = JSON.parse((await get(`${ui.url}api/runs/${result.runId}/events?after=${history.length - 2}`)).text);
    assert.is(ev.total, history.length);
    assert.is(ev.events.length, 2);
  } finally {
    await ui.close();
  }
});

test('10,000 runs: each page lists in under a second (paged)', async () => {
  const root = tmp();
  const dir = path.join(root, 'runs');
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.UTC(2026, 0, 1);
  const t = performance.now();
  for (let i = 0; i < 10_000; i++) {
    const id = `2026${String(1 + (i % 12)).padStart(2, '0')}01T${String(i % 24).padStart(2, '0')}0000Z-${String(i).padStart(5, '0')}`;
    const start = { seq: 1, t: t0 + i * 1000, type: 'run.started', runId: id, workflowId: `wf-${i % 7}`, workflowHash: 'h', input: {} };
    const lines = [start, { seq: 2, t: t0 + i * 1000 + 5, type: 'transition', event: 'xstate.init', from: [], to: ['a.running'] }];
    if (i % 3) lines.push({ seq: 3, t: t0 + i * 1000 + 50, type: 'run.finished', status: i % 5 ? 'succeeded' : 'failed', cost: i / 100, durationMs: 50 } as any);
    fs.writeFileSync(path.join(dir, `${id}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
  const writeMs = performance.now() - t;
  const ui = await startUiServer({ store: createJsonlStore(root), port: 0 });
  try {
    const times: Record<string, number> = {};
    for (const offset of [0, 5000, 9975]) {
      const t1 = performance.now();
      const page = JSON.parse((await get(`${ui.url}api/runs?offset=${offset}&limit=25`)).text);
      times[offset] = Math.round(performance.now() - t1);
      assert.is(page.total, 10_000);
      assert.is(page.runs.length, 25);
      assert.ok(times[offset] < 1000, `page at ${offset} took ${times[offset]} ms`);
      // An unfinished history that no live process holds is listed as `interrupted`.
      for (const r of page.runs) assert.ok(['running', 'interrupted', 'succeeded', 'failed'].includes(r.status), r.status);
    }
    console.log(`  10,000 runs (written in ${Math.round(writeMs)} ms): GET /api/runs page times (ms) by offset ${JSON.stringify(times)}`);
  } finally {
    await ui.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});



test('planner panel API: the plan as a DAG next to its statechart, or the planner\'s own refusal', async () => {
  const ui = await startUiServer({ store: createJsonlStore(tmp()), port: 0 });
  try {
    const meta = JSON.parse((await get(`${ui.url}api/meta`)).text);
    assert.is(meta.planner, fs.existsSync(new URL('../../planner/index.ts', import.meta.url)));
    if (!meta.planner) return;
    const r = await get(`${ui.url}api/plan?instruction=${encodeURIComponent('Summarise docs/q3.md into a short report')}`);
    const body = JSON.parse(r.text);
    if (r.status === 200) {
      assert.is((body.dagSvg.match(/<g class="dag-node"/g) ?? []).length, body.plan.nodes.length);
      assert.match(body.chartSvg, /<g class="state kind-parallel" data-path="dag"/);
    } else {
      assert.is(r.status, 422, r.text);
      assert.is(body.title, 'Cannot plan this instruction');
      assert.ok(body.error.length > 10, body.error);
    }
    assert.is((await get(`${ui.url}api/plan?instruction=`)).status, 400);
  } finally {
    await ui.close();
  }
});
test.run();
